// FollowTheMoney (FtM) views of entente entities, for the matching APIs other tools speak
// (yente's /match, the reconciliation service): the FtM schema name of an entity, its
// properties in FtM's multi-valued form, and an entente MatchQuery built from an FtM
// "query by example" ({"schema": "Person", "properties": {"name": [...], ...}}).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "match/matcher.h"
#include "model/entity.h"

namespace entente::server {

// "Person", "Organization", or "LegalEntity" for any other entity type.
std::string FtmSchemaOf(const Entity& entity);

// {"name": [...primary names], "alias": [...], "birthDate": [...], "nationality": [...],
//  "passportNumber": [...], "idNumber": [...], "birthPlace": [...], "address": [...],
//  "gender": [...]}; only the properties that have a value.
nlohmann::json FtmProperties(const Entity& entity);

// An FtM example turned into entente queries: one MatchQuery per name (at most 10), the
// first valid birthDate, nationality/citizenship/country and idNumber/passportNumber/
// registrationNumber/taxNumber. firstName/middleName/lastName make a name when `name` is
// absent. Properties the engine does not use are listed in `ignored`. InvalidArgument naming
// `where` ("queries.q1.schema: ...") when the schema is unknown, a property value is not a
// string or a list of strings, a date or country is malformed, or no name is given.
struct FtmExampleQuery {
  std::vector<MatchQuery> queries;
  std::vector<std::string> ignored;
};
Result<FtmExampleQuery> QueryFromFtmExample(const nlohmann::json& example,
                                            const std::string& where);

// The FtM schema names an example may use: Person, Organization, Company, LegalEntity, Thing.
// Sets `type` for Person (person) and Organization/Company (organization); false when unknown.
bool FtmSchemaToType(const std::string& schema, std::optional<EntityType>* type);

}  // namespace entente::server
