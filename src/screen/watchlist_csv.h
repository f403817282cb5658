// Reads a simple watchlist CSV (the evaluation format) straight into entities, for benchmarks,
// tests and `entente screen` fixtures that run without a store.
//
// Columns by header name: id, name (required), aliases ('|'-separated), birth_date, nationality,
// id_number, category, optional type ("person"/"organization"). The id becomes
// provenance.source_record_id. Without a type column, a row is a person when it has a birth
// date or a "SURNAME, Given" name without legal-form words, else an organization.
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "model/entity.h"

namespace entente::match {

struct WatchlistCsv {
  std::vector<Entity> entities;
  // "watchlist.csv line 12: skipped: name: empty" for each row that could not be used.
  std::vector<std::string> skipped;
  // Fields ignored on otherwise good rows ("line 7: birth_date '31/02/1990' ignored: ...").
  std::vector<std::string> warnings;
};

// IOError when the file cannot be read; InvalidArgument when the header lacks id or name.
Result<WatchlistCsv> LoadWatchlistCsv(const std::string& path,
                                      const std::string& source = "watchlist");

// Guesses person vs organization from a name and whether a birth date is known (see above).
EntityType InferEntityType(const std::string& name, bool has_birth_date);

}  // namespace entente::match
