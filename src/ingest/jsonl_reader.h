// Reader for JSON lines (format "jsonl"): one JSON object per line, in either of two shapes.
//
//   - the generic watchlist row of ingest/generic_row.h with the same keys as the CSV
//     columns: {"id":"W-1","name":"EL IDRISSI, Mohammed","aliases":["..."],
//     "birth_date":"1987-03-04","nationality":["MA"],"category":"terrorism"}. List columns
//     take a JSON array or a '|'-separated string; other keys with string or number values
//     are kept as attributes;
//   - the model's own record JSON (model/codec.h), as `entente export --format jsonl` writes
//     it, recognised by a "names", "provenance" or "relationship_type" key. Such a record keeps
//     its id, provenance, grades, category and marking; only an empty service or source is
//     filled in from the import's defaults. A record without an id gets the deterministic id
//     of its provenance.source_record_id.
//
// Fatal: missing or empty file, a first non-blank line that is not a JSON object ("not a JSON
// lines file"). Rejected lines: malformed JSON, a value of the wrong JSON type, and every
// error of EntityFromGenericRow / RecordFromJson, with file, line and field.
// Thread-safety: one reader per thread.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/record_reader.h"

namespace entente::ingest {

Result<std::unique_ptr<RecordReader>> OpenJsonlReader(const std::string& path,
                                                      const ImportDefaults& defaults);
Result<std::unique_ptr<RecordReader>> JsonlReaderFromString(std::string data,
                                                            const std::string& name,
                                                            const ImportDefaults& defaults);

// Splits `data` into lines for the line-oriented readers (jsonl, ftm): returns false at the
// end, else sets *line to the next line's text (without CR/LF) and *line_number (1-based).
class LineCursor {
 public:
  explicit LineCursor(const std::string* data) : data_(data) {}
  bool Next(std::string_view* line, int64_t* line_number);
  uint64_t offset() const { return pos_; }

 private:
  const std::string* data_;
  size_t pos_ = 0;
  int64_t line_ = 0;
};

}  // namespace entente::ingest
