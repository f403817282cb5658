// Small builders for graph and risk tests: records with readable ids ("p1" -> a canonical
// "person--00000000-0000-4000-8000-000000000001" id) and defaults a test can override.
#pragma once

#include <cstdio>
#include <string>

#include "graph/entity_graph.h"
#include "model/entity.h"

namespace entente::graph::testing {

inline std::string Uuid(int number) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "00000000-0000-4000-8000-%012d", number);
  return buffer;
}
inline std::string PersonId(int number) { return "person--" + Uuid(number); }
inline std::string OrgId(int number) { return "organization--" + Uuid(number); }
inline std::string PhoneId(int number) { return "phone--" + Uuid(number); }
inline std::string RelId(int number) { return "relationship--" + Uuid(number); }

inline Entity MakeEntity(const std::string& id, const std::string& name,
                         ThreatCategory category = ThreatCategory::kOther,
                         EntityType type = EntityType::kPerson) {
  Entity entity;
  entity.meta.id = id;
  entity.type = type;
  entity.names.push_back(Name{name, NameKind::kPrimary, "Latn"});
  entity.meta.category = category;
  entity.meta.provenance.service = "DGSN-DGST";
  entity.meta.provenance.source = "test";
  entity.meta.provenance.source_record_id = id;
  entity.meta.grades = Grades{'B', 2};
  entity.meta.marking = Marking{Tlp::kGreen, {}};
  return entity;
}

inline Relationship MakeRel(const std::string& id, const std::string& source,
                            const std::string& target,
                            RelationshipType type = RelationshipType::kAssociateOf) {
  Relationship relationship;
  relationship.meta.id = id;
  relationship.meta.provenance.service = "DGSN-DGST";
  relationship.meta.provenance.source = "test";
  relationship.meta.provenance.source_record_id = id;
  relationship.meta.grades = Grades{'B', 2};
  relationship.meta.marking = Marking{Tlp::kGreen, {}};
  relationship.type = type;
  relationship.source_id = source;
  relationship.target_id = target;
  return relationship;
}

// Adds persons 1..n (named "P<i>") and, for each pair, an associate-of relationship.
inline void AddPeople(EntityGraph& graph, int first, int last) {
  for (int number = first; number <= last; ++number) {
    graph.Apply(MakeEntity(PersonId(number), "P" + std::to_string(number)));
  }
}
inline int next_rel_id = 1;
inline void Link(EntityGraph& graph, int a, int b,
                 RelationshipType type = RelationshipType::kAssociateOf) {
  graph.Apply(MakeRel(RelId(next_rel_id++), PersonId(a), PersonId(b), type));
}

}  // namespace entente::graph::testing

#include <filesystem>

#include "common/ids.h"

namespace entente::graph::testing {

// A fresh directory under the system temp dir, removed at destruction.
class ScratchDir {
 public:
  ScratchDir() {
    path_ = std::filesystem::temp_directory_path() / ("entente-graph-test-" + RandomHex(6));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace entente::graph::testing
