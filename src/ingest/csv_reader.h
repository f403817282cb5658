// Reader for the generic watchlist CSV (format "csv"): a header row naming the columns of
// ingest/generic_row.h, then one entity per row. RFC 4180 quoting; CRLF or LF; UTF-8 (a
// byte-order mark is accepted).
//
// Fatal (the import stops): missing file (NotFound), empty file, a header without the `id`
// and `name` columns or with a column named twice ("not a generic watchlist CSV").
// Rejected rows: a malformed row (unclosed quote, text after a closing quote), a row whose
// field count differs from the header's, and every error of EntityFromGenericRow.
// Thread-safety: one reader per thread.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/record_reader.h"

namespace entente::ingest {

Result<std::unique_ptr<RecordReader>> OpenGenericCsvReader(const std::string& path,
                                                           const ImportDefaults& defaults);
// The same over an in-memory buffer; `name` is used in messages (tests, benchmarks).
Result<std::unique_ptr<RecordReader>> GenericCsvReaderFromString(std::string data,
                                                                 const std::string& name,
                                                                 const ImportDefaults& defaults);

}  // namespace entente::ingest
