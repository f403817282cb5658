// The interface every export format implements: a RecordWriter receives records one at a time
// and writes them to a file. Writers never read the store; the exporter (ingest/exporter.h)
// streams records to them after the marking checks.
//
// Thread-safety: a writer is used from one thread.
#pragma once

#include <cstdint>

#include "common/status.h"
#include "model/codec.h"

namespace entente::ingest {

class RecordWriter {
 public:
  virtual ~RecordWriter() = default;
  // Writes one record. A format that cannot represent the record (CSV and relationships)
  // returns false in *written and OK; IOError when the file cannot be written.
  virtual Status Write(const Record& record, bool* written) = 0;
  // Flushes and closes the file; IOError on failure. The file is complete only after this.
  virtual Status Close() = 0;
};

}  // namespace entente::ingest
