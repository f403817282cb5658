// A small store for CLI tests: a human-trafficking network run by "Boss", a smuggling network,
// and an applicant linked to the trafficker only through a DGSI phone record marked RED.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <vector>

#include "../run_entente.h"
#include "graph_test_util.h"
#include "store/database.h"
#include "store/record_store.h"

namespace entente::graph::testing {

inline std::vector<Record> DemoRecords() {
  std::vector<Record> records;
  auto person = [&](int number, const std::string& name, ThreatCategory category) {
    Entity entity = MakeEntity(PersonId(number), name, category);
    entity.meta.provenance.last_seen = "2026-10-01T00:00:00Z";
    records.push_back(entity);
  };
  person(1, "Boss Trafficker", ThreatCategory::kHumanTrafficking);
  person(2, "Recruiter A", ThreatCategory::kHumanTrafficking);
  person(3, "Recruiter B", ThreatCategory::kHumanTrafficking);
  person(4, "Driver C", ThreatCategory::kHumanTrafficking);
  person(5, "Applicant Karim", ThreatCategory::kOther);
  person(11, "Smuggler Chief", ThreatCategory::kNarcotics);
  person(12, "Courier X", ThreatCategory::kNarcotics);
  person(13, "Courier Y", ThreatCategory::kNarcotics);
  int rel = 1;
  auto link = [&](const std::string& a, const std::string& b, RelationshipType type) {
    records.push_back(MakeRel(RelId(rel++), a, b, type));
  };
  link(PersonId(2), PersonId(1), RelationshipType::kAssociateOf);
  link(PersonId(3), PersonId(1), RelationshipType::kAssociateOf);
  link(PersonId(4), PersonId(1), RelationshipType::kAssociateOf);
  link(PersonId(2), PersonId(3), RelationshipType::kAssociateOf);
  link(PersonId(12), PersonId(11), RelationshipType::kMemberOf);
  link(PersonId(13), PersonId(11), RelationshipType::kMemberOf);
  link(PersonId(12), PersonId(13), RelationshipType::kTravelledWith);
  // The partner's record: a phone the applicant and the driver both use.
  Entity phone =
      MakeEntity(PhoneId(20), "+33 6 12 34 56 78", ThreatCategory::kOther, EntityType::kPhone);
  phone.meta.provenance.service = "DGSI";
  phone.meta.marking = Marking{Tlp::kRed, {}};
  records.push_back(phone);
  link(PersonId(5), PhoneId(20), RelationshipType::kUsesPhone);
  Relationship partner =
      MakeRel(RelId(rel++), PersonId(4), PhoneId(20), RelationshipType::kUsesPhone);
  partner.meta.provenance.service = "DGSI";
  partner.meta.marking = Marking{Tlp::kRed, {}};
  records.push_back(partner);
  return records;
}

// Writes DemoRecords() into a new SQLite store at `path`.
inline Status WriteDemoStore(const std::string& path) {
  ENTENTE_ASSIGN_OR_RETURN(auto db, Database::Open(path));
  ENTENTE_RETURN_IF_ERROR(RecordStore::Migrate(*db));
  RecordStore store(db.get());
  auto written = store.PutAll(DemoRecords());
  return written.ok() ? Status::Ok() : written.status();
}

using entente::testing::CommandResult;
using entente::testing::RunEntente;

}  // namespace entente::graph::testing
