// The interface every import format implements: a RecordReader turns one input file (or
// folder) into model records, one source row at a time, and says where each row came from so
// that a bad row can be reported by file, line and reason.
//
// A reader never touches the store. The importer (ingest/importer.h) drives readers and writes
// what they produce through RecordStore::Writer in one transaction.
//
// Two kinds of failure:
//   - a bad row: Next() returns true with item->error set (InvalidArgument naming the file,
//     line, field and reason); the reader stays usable and the importer either aborts the
//     whole import or, with --skip-bad, records the row and goes on;
//   - a fatal problem (missing file, empty file, not the declared format, unreadable rest):
//     Open or Next() returns a non-OK Status and the import stops.
//
// Thread-safety: a reader is used from one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.h"
#include "common/status.h"
#include "model/codec.h"
#include "model/entity.h"

namespace entente::ingest {

// What the command line (or a caller) sets for a whole import. A reader copies these into
// every record it makes; values stated by the data itself (a row's category, an FtM entity's
// first_seen) take precedence where the reader documents it.
struct ImportDefaults {
  std::string service = "local";           // Provenance.service: the owning service
  std::string source;                      // Provenance.source; empty: the format's default
  std::optional<Grades> grades;            // empty: the format's default
  std::optional<ThreatCategory> category;  // fallback when the data does not say
  std::optional<Tlp> tlp;                  // empty: the format's default
  std::vector<std::string> releasable_to;
  // The node's record-id key: records get KeyedId ids. Empty (tests and tools that only read
  // files): the legacy unkeyed DeterministicId. Every import into a node's store sets it.
  std::optional<RecordIdKey> id_key;
};

// One source row (an SDN entry, a CSV line, an XML element) and what became of it.
struct ReadItem {
  std::vector<Record> records;  // entities first, then relationships
  // Source record ids (of the import's source) whose current records this row deletes: a
  // delta file's DEL. The importer revokes each one it finds; an id it does not know is
  // counted, not an error (a delta may delete what was never imported here).
  std::vector<std::string> revoke_source_ids;
  // Source items this row holds that became no record of their own and were kept inside one
  // of its records instead (a MISP event's network indicators): counted in the report.
  int64_t kept_unmapped = 0;
  // A good row that became no record and is not kept (a STIX indicator, a relationship whose
  // end entente does not keep): its kind, counted by kind in the report and named in the
  // summary, so nothing is dropped without saying so. `not_stored_note` says what the format
  // stores instead (one sentence, the same for every row of a format).
  std::string not_stored;
  std::string not_stored_note;
  std::string file;  // the file the row came from
  int64_t line = 0;  // its 1-based line (0 when not meaningful)
  std::string raw;   // the row's source text, for the --skip-bad file
  Status error;      // non-OK: the row is rejected and `records` is empty

  void Clear() {
    records.clear();
    revoke_source_ids.clear();
    kept_unmapped = 0;
    not_stored.clear();
    not_stored_note.clear();
    file.clear();
    line = 0;
    raw.clear();
    error = Status::Ok();
  }
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // Fills *item with the next row. Returns false at the end of the input, true when *item
  // holds a row (good or rejected), or a non-OK Status on a fatal problem.
  virtual Result<bool> Next(ReadItem* item) = 0;
  // Progress, in bytes of input (or any unit the reader likes): done so far and total.
  virtual uint64_t progress_done() const = 0;
  virtual uint64_t progress_total() const = 0;
};

}  // namespace entente::ingest
