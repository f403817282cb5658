// Persons and organizations for the matching tests, with deterministic ids.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "common/ids.h"
#include "match/matcher.h"
#include "model/entity.h"

namespace entente::match_test {

// A person named `names` (the first is primary, the rest aliases), with source record id `key`.
inline Entity Person(const std::string& key, const std::vector<std::string>& names,
                     std::optional<PartialDate> dob = std::nullopt,
                     const std::string& nationality = "") {
  Entity entity;
  entity.type = EntityType::kPerson;
  entity.meta.id = DeterministicId("person", "test", key);
  entity.meta.version = 1;
  entity.meta.provenance.service = "TEST";
  entity.meta.provenance.source = "test";
  entity.meta.provenance.source_record_id = key;
  bool first = true;
  for (const std::string& name : names) {
    entity.names.push_back({name, first ? NameKind::kPrimary : NameKind::kAlias, ""});
    first = false;
  }
  if (dob) entity.birth_dates.push_back(*dob);
  if (!nationality.empty()) entity.nationalities.push_back(nationality);
  return entity;
}

inline Entity Organization(const std::string& key, const std::string& name) {
  Entity entity = Person(key, {name});
  entity.type = EntityType::kOrganization;
  entity.meta.id = DeterministicId("organization", "test", key);
  return entity;
}

// The index's best `top` results for `name` alone (a failed query fails the test).
inline std::vector<MatchResult> Search(const MatchIndex& index, const std::string& name,
                                       int top = 5) {
  MatchQuery query;
  query.name = name;
  query.top = top;
  Result<std::vector<MatchResult>> results = index.Match(query);
  EXPECT_TRUE(results.ok()) << name << ": " << results.status().message();
  return results.ok() ? *results : std::vector<MatchResult>{};
}

}  // namespace entente::match_test
