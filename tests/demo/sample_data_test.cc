// The demo's sample data: deterministic, with the two networks spanning both services and the
// applicant tied to the smuggling ring only through the partner's phone record.
#include "demo/sample_data.h"

#include <gtest/gtest.h>

#include <set>

namespace entente::demo {
namespace {

SampleOptions Small() {
  SampleOptions options;
  options.persons_per_service = 200;
  options.applicants = 300;
  return options;
}

std::set<std::string> Ids(const std::vector<Record>& records) {
  std::set<std::string> ids;
  for (const Record& r : records) ids.insert(MetaOf(r).id);
  return ids;
}

TEST(SampleData, SameSeedSameData) {
  SampleData a = GenerateSampleData(Small());
  SampleData b = GenerateSampleData(Small());
  ASSERT_EQ(a.moroccan.size(), b.moroccan.size());
  ASSERT_EQ(a.applicants.size(), b.applicants.size());
  for (size_t i = 0; i < a.moroccan.size(); ++i)
    EXPECT_EQ(RecordToJson(a.moroccan[i]), RecordToJson(b.moroccan[i]));
  EXPECT_EQ(ApplicantsCsv(a.applicants), ApplicantsCsv(b.applicants));
}

TEST(SampleData, NetworksSpanBothServices) {
  SampleData data = GenerateSampleData(Small());
  std::set<std::string> ma = Ids(data.moroccan), fr = Ids(data.french);
  for (const auto* network : {&data.smuggling_network, &data.trafficking_network}) {
    ASSERT_GE(network->size(), 3u);
    int in_ma = 0, in_fr = 0;
    for (const std::string& id : *network) {
      in_ma += ma.count(id);
      in_fr += fr.count(id);
    }
    EXPECT_GT(in_ma, 0);
    EXPECT_GT(in_fr, 0);
    EXPECT_EQ(in_ma + in_fr, static_cast<int>(network->size()));
  }
  // The smuggling ring's leader is a Moroccan record (the hit/no-hit step asks about him).
  EXPECT_TRUE(ma.count(data.smuggling_network[0]));
}

TEST(SampleData, LinkedApplicantReachesTheRingOnlyThroughAPartnerRecord) {
  SampleData data = GenerateSampleData(Small());
  ASSERT_FALSE(data.linked_applicant_entity_id.empty());
  // The applicant's only relationship is a Moroccan "uses phone" to a phone DGSI recorded.
  std::string phone;
  for (const Record& r : data.moroccan)
    if (const auto* rel = std::get_if<Relationship>(&r);
        rel && rel->source_id == data.linked_applicant_entity_id)
      phone = rel->target_id;
  ASSERT_FALSE(phone.empty());
  EXPECT_TRUE(Ids(data.french).count(phone));
  EXPECT_FALSE(Ids(data.moroccan).count(phone));
  bool listed = false;
  for (const Applicant& a : data.applicants)
    listed = listed || (a.id == data.linked_applicant_id &&
                        a.planted_entity_id == data.linked_applicant_entity_id);
  EXPECT_TRUE(listed);
}

TEST(SampleData, ApplicantsCsvQuotesCommas) {
  Applicant a;
  a.id = "APP-1";
  a.name = "EL IDRISSI, Mohammed";
  EXPECT_EQ(ApplicantsCsv({a}),
            "id,name,birth_date,nationality,id_number\nAPP-1,\"EL IDRISSI, Mohammed\",,,\n");
}

}  // namespace
}  // namespace entente::demo
