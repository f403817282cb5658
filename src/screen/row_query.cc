#include "screen/row_query.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

namespace entente::screen {
namespace {

constexpr std::string_view kRowIdPrefix = "person--00000000-0000-4000-8000-";

}  // namespace

MatchQuery QueryFromRow(const ListRow& row, int top, double threshold) {
  MatchQuery query;
  query.name = row.name;
  if (!row.birth_date.empty()) query.birth_date = PartialDate::Parse(row.birth_date);
  query.nationality = row.nationality;
  query.id_number = row.id_number;
  query.top = top;
  query.threshold = threshold;
  return query;
}

Entity EntityFromRow(const ListRow& row) {
  Entity entity;
  char suffix[16];
  std::snprintf(suffix, sizeof(suffix), "%012" PRIx64, static_cast<uint64_t>(row.row_idx));
  entity.meta.id = std::string(kRowIdPrefix) + suffix;
  entity.meta.version = 1;
  entity.meta.provenance.source = "screening-list";
  entity.meta.provenance.source_record_id = row.row_id;
  entity.type = EntityType::kPerson;
  entity.names.push_back(Name{row.name, NameKind::kPrimary, ""});
  if (!row.birth_date.empty()) {
    if (auto date = PartialDate::Parse(row.birth_date)) entity.birth_dates.push_back(*date);
  }
  if (!row.nationality.empty()) entity.nationalities.push_back(row.nationality);
  if (!row.id_number.empty()) {
    entity.documents.push_back(IdentityDocumentInfo{"id", row.id_number, "", "", ""});
  }
  return entity;
}

std::optional<int64_t> RowIdxFromEntityId(const std::string& entity_id) {
  if (entity_id.size() != kRowIdPrefix.size() + 12 || entity_id.rfind(kRowIdPrefix, 0) != 0) {
    return std::nullopt;
  }
  char* end = nullptr;
  const char* hex = entity_id.c_str() + kRowIdPrefix.size();
  int64_t value = static_cast<int64_t>(std::strtoull(hex, &end, 16));
  if (end != entity_id.c_str() + entity_id.size()) return std::nullopt;
  return value;
}

std::vector<MatchQuery> QueriesFromEntity(const Entity& entity, int top, double threshold) {
  std::vector<MatchQuery> queries;
  if (entity.type != EntityType::kPerson && entity.type != EntityType::kOrganization) {
    return queries;
  }
  for (const Name& name : entity.names) {
    if (name.full.empty()) continue;
    MatchQuery query;
    query.name = name.full;
    if (!entity.birth_dates.empty()) query.birth_date = entity.birth_dates.front();
    if (!entity.nationalities.empty()) query.nationality = entity.nationalities.front();
    if (!entity.documents.empty()) query.id_number = entity.documents.front().number;
    // The rows are indexed as persons; an organization's name still finds a person's row
    // named like it, so the type is left open.
    query.gender = entity.gender;
    query.top = top;
    query.threshold = threshold;
    queries.push_back(std::move(query));
  }
  return queries;
}

}  // namespace entente::screen
