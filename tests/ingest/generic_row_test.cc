// Type inference and the category rule of the generic rows, checked against the real SDN
// types where the evaluation watchlist is at hand.
#include "ingest/generic_row.h"

#include <gtest/gtest.h>

#include <unordered_map>

#include "common/csv.h"
#include "ingest/programs.h"
#include "ingest_test_util.h"

namespace entente::ingest {
namespace {

TEST(InferEntityType, FollowsTheDocumentedRules) {
  EXPECT_EQ(InferEntityType("ABBAS, Abu"), EntityType::kPerson);
  EXPECT_EQ(InferEntityType("GUTIÉRREZ, Jacobo"), EntityType::kPerson);
  EXPECT_EQ(InferEntityType("PAO, Yu Liang"), EntityType::kPerson);
  EXPECT_EQ(InferEntityType("ANGLO-CARIBBEAN CO., LTD."), EntityType::kOrganization);
  EXPECT_EQ(InferEntityType("AEROCARIBBEAN AIRLINES"), EntityType::kOrganization);
  EXPECT_EQ(InferEntityType("Banco Nacional de Cuba"), EntityType::kOrganization);
  EXPECT_EQ(InferEntityType("IMPORTADORA SILVANIA, C.A."), EntityType::kOrganization);
  EXPECT_EQ(InferEntityType("BOUTIQUE LA MAISON"), EntityType::kOrganization);
  EXPECT_EQ(InferEntityType("Mohamed El Idrissi"), EntityType::kPerson);
}

TEST(Programs, MapToCategories) {
  EXPECT_EQ(CategoryForPrograms({"SDGT", "IFSR"}, ThreatCategory::kOther),
            ThreatCategory::kTerrorism);
  EXPECT_EQ(CategoryForPrograms({"FTO", "SDGT"}, ThreatCategory::kOther),
            ThreatCategory::kTerrorism);
  EXPECT_EQ(CategoryForPrograms({"SDNTK"}, ThreatCategory::kOther), ThreatCategory::kNarcotics);
  EXPECT_EQ(CategoryForPrograms({"ILLICIT-DRUGS-EO14059"}, ThreatCategory::kOther),
            ThreatCategory::kNarcotics);
  EXPECT_EQ(CategoryForPrograms({"TCO"}, ThreatCategory::kOther), ThreatCategory::kOrganizedCrime);
  EXPECT_EQ(CategoryForPrograms({"SDNTK", "SDGT"}, ThreatCategory::kOther),
            ThreatCategory::kTerrorism);
  EXPECT_EQ(CategoryForPrograms({"RUSSIA-EO14024"}, ThreatCategory::kOther),
            ThreatCategory::kOther);
  EXPECT_EQ(CategoryForPrograms({"SYN"}, ThreatCategory::kHumanTrafficking),
            ThreatCategory::kHumanTrafficking);
  EXPECT_TRUE(LooksLikeProgramCodes("SDGT|IFSR"));
  EXPECT_TRUE(LooksLikeProgramCodes("RUSSIA-EO14024"));
  EXPECT_FALSE(LooksLikeProgramCodes("terror"));
  EXPECT_FALSE(LooksLikeProgramCodes("12"));
}

TEST(EntityFromGenericRow, CategoryNamesInAnyCase) {
  GenericRow row;
  row.Set(GenericColumn::kId, "1");
  row.Set(GenericColumn::kName, "X Y");
  row.Set(GenericColumn::kCategory, "ORGANIZED-CRIME");
  ImportDefaults defaults;
  defaults.source = "t";
  auto entity = EntityFromGenericRow(row, defaults, "f.csv", 2);
  ASSERT_TRUE(entity.ok());
  EXPECT_EQ(entity->meta.category, ThreatCategory::kOrganizedCrime);
  EXPECT_EQ(entity->attributes.count("programs"), 0u);
  row.Set(GenericColumn::kCategory, "Human-Trafficking");
  entity = EntityFromGenericRow(row, defaults, "f.csv", 2);
  ASSERT_TRUE(entity.ok());
  EXPECT_EQ(entity->meta.category, ThreatCategory::kHumanTrafficking);
}

// The evaluation watchlist mixes individuals and entities without a type column; the rule
// must agree with the SDN list's own SDN_Type nearly always.
TEST(InferEntityType, AgreesWithSdnTypesOnTheEvaluationWatchlist) {
  if (!testing::SharedExists("eval/screening_dev/watchlist.csv") ||
      !testing::SharedExists("data/ofac_sdn/sdn.csv"))
    GTEST_SKIP() << "../shared/eval or ../shared/data/ofac_sdn is missing";
  std::unordered_map<std::string, bool> is_person;
  auto sdn = CsvReader::Open(testing::SharedDir() + "/data/ofac_sdn/sdn.csv");
  ASSERT_TRUE(sdn.ok());
  std::vector<std::string> f;
  Status error;
  while ((*sdn)->Next(&f, &error))
    if (f.size() > 2) is_person["SDN-" + f[0]] = f[2].rfind("individual", 0) == 0;

  ImportOptions options =
      testing::Options("csv", testing::SharedDir() + "/eval/screening_dev/watchlist.csv");
  auto records = ReadAll(options);
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  int64_t total = 0, wrong = 0;
  for (const Record& r : *records) {
    const Entity& e = std::get<Entity>(r);
    auto it = is_person.find(e.meta.provenance.source_record_id);
    if (it == is_person.end()) continue;
    ++total;
    if ((e.type == EntityType::kPerson) != it->second) ++wrong;
  }
  EXPECT_EQ(total, 13738);
  EXPECT_LE(wrong, total / 1000) << wrong << " of " << total << " typed wrongly";
}

}  // namespace
}  // namespace entente::ingest
