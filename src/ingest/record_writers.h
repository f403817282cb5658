// The built-in export formats.
//
//   jsonl  one record per line in the model's JSON (model/codec.h): entities and
//          relationships, every field; `entente import --format jsonl` reads it back.
//   csv    the generic watchlist columns of ingest/generic_row.h plus the record's own
//          columns: id (the store id), type, name, aliases, birth_date, nationality, id_number,
//          category, gender, birth_place, address, programs, source, source_record_id, service,
//          reliability, credibility, tlp, releasable_to. Entities only: relationships are not
//          written (Write() reports them as not written). Lists are '|'-separated.
// Thread-safety: one writer per thread.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/record_writer.h"

namespace entente::ingest {

Result<std::unique_ptr<RecordWriter>> OpenJsonlWriter(const std::string& path);
Result<std::unique_ptr<RecordWriter>> OpenCsvWriter(const std::string& path);

}  // namespace entente::ingest
