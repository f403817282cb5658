// Turning list rows into what the matching engine understands, both ways round:
//   - a row as a MatchQuery, to look it up in a watchlist index (screening jobs);
//   - a row as an Entity, to index the list itself and look it up with changed watchlist
//     entities (continuous re-screening), and a watchlist entity as MatchQueries.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "match/matcher.h"
#include "model/entity.h"
#include "screen/list_file.h"

namespace entente::screen {

MatchQuery QueryFromRow(const ListRow& row, int top, double threshold);

// An entity standing for the row: a person whose id encodes row_idx (RowIdxFromEntityId() reads
// it back) and whose source_record_id is the row id.
Entity EntityFromRow(const ListRow& row);
std::optional<int64_t> RowIdxFromEntityId(const std::string& entity_id);

// One query per name of `entity` (primary names and aliases; weak aliases too), each with the
// entity's first birth date, nationality and document number. Empty for entities that are not
// persons or organizations.
std::vector<MatchQuery> QueriesFromEntity(const Entity& entity, int top, double threshold);

}  // namespace entente::screen
