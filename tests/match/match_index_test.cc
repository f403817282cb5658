#include <gtest/gtest.h>

#include <filesystem>

#include "common/ids.h"
#include "match/matcher.h"
#include "test_entities.h"

namespace entente {
namespace {

using match_test::Organization;
using match_test::Person;

std::unique_ptr<MatchIndex> SampleIndex() {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  index->Add(Person("W1", {"Muhammad bin Abd al-Qadir al-Idrisi", "EL IDRISSI, Mohammed"},
                    PartialDate{1987, 3, 4}, "MA"));
  index->Add(Person("W2", {"MARTIN, Jean"}, PartialDate{1960, 1, 1}, "FR"));
  index->Add(Person("W3", {"YUSUF, Ahmed Ali"}, PartialDate{1975, 0, 0}, "SO"));
  index->Add(Person("W4", {"ALI, Mohamed"}, std::nullopt, "EG"));
  index->Add(Organization("W5", "AL-BARAKAT TRADING COMPANY LLC"));
  for (int i = 0; i < 50; ++i) {
    index->Add(Person("F" + std::to_string(i),
                      {"MOHAMED, Filler" + std::string(1, 'a' + i % 26) + std::to_string(i)}));
  }
  return index;
}

TEST(MatchIndex, FindsTransliteratedNameFirst) {
  std::unique_ptr<MatchIndex> index = SampleIndex();
  MatchQuery query;
  query.name = "Mohamed Ben Abdelkader EL IDRISSI";
  query.birth_date = PartialDate{1987, 3, 4};
  query.nationality = "MA";
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  ASSERT_FALSE(results->empty());
  EXPECT_EQ(results->front().source_record_id, "W1");
  EXPECT_GE(results->front().score, MatchIndex::DefaultThreshold());
  EXPECT_LE(results->front().score, 1.0);
  const std::string explanation = results->front().Explanation();
  EXPECT_NE(explanation.find("name"), std::string::npos);
  EXPECT_NE(explanation.find("birth_date"), std::string::npos) << explanation;
}

TEST(MatchIndex, ArabicScriptQueryFindsLatinEntry) {
  std::unique_ptr<MatchIndex> index = SampleIndex();
  MatchQuery query;
  query.name = "محمد الإدريسي";
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  ASSERT_FALSE(results->empty());
  EXPECT_EQ(results->front().source_record_id, "W1");
}

TEST(MatchIndex, NamesakeWithDistantBirthDateDropsBelowThreshold) {
  std::unique_ptr<MatchIndex> index = SampleIndex();
  MatchQuery query;
  query.name = "Jean Martin";
  query.birth_date = PartialDate{1995, 6, 6};
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok());
  ASSERT_FALSE(results->empty());
  EXPECT_LT(results->front().score, MatchIndex::DefaultThreshold());
}

TEST(MatchIndex, TypeFilterAndTop) {
  std::unique_ptr<MatchIndex> index = SampleIndex();
  MatchQuery query;
  query.name = "Barakat Trading";
  query.type = EntityType::kPerson;
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok());
  for (const MatchResult& result : *results) EXPECT_NE(result.source_record_id, "W5");
  query.type = EntityType::kOrganization;
  results = index->Match(query);
  ASSERT_TRUE(results.ok());
  ASSERT_FALSE(results->empty());
  EXPECT_EQ(results->front().source_record_id, "W5");
  query.name = "Mohamed";
  query.type.reset();
  query.top = 3;
  results = index->Match(query);
  ASSERT_TRUE(results.ok());
  EXPECT_LE(results->size(), 3u);
}

TEST(MatchIndex, FindsAMisspeltPartWhoseSkeletonBelongsToOtherNames) {
  // "Kuamin" has the skeleton k-m-n of many listed parts; the one-edit spelling neighbourhood
  // still reaches "Kuzmin".
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  index->Add(Person("K1", {"KUZMIN, Denis Igorevich"}, PartialDate{1990, 12, 18}, "RU"));
  const char* const others[] = {"KAMIN, Oleg",  "KOMAN, Ivan",  "KAMEN, Petr",  "KUMAN, Ali",
                                "KIMANI, John", "KAMINA, Rose", "KUMIN, Boris", "KOMANI, Yves"};
  int i = 0;
  for (const char* name : others) index->Add(Person("O" + std::to_string(i++), {name}));
  MatchQuery query;
  query.name = "KUAMIN, DENIS";
  query.birth_date = PartialDate{1990, 12, 18};
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok());
  ASSERT_FALSE(results->empty());
  EXPECT_EQ(results->front().source_record_id, "K1");
  EXPECT_GE(results->front().score, MatchIndex::DefaultThreshold());
}

TEST(MatchIndex, CommonPartsAloneAndRarePartsAmongCommonOnesAreFound) {
  // Thousands of names share "mohamed" and "ali": their posting lists are longer than the
  // walking budget and are checked against the names found instead of being walked.
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  for (int i = 0; i < 3000; ++i) {
    index->Add(Person("M" + std::to_string(i),
                      {"MOHAMED ALI, " + std::string(1, 'a' + i % 26) +
                       std::string(1, 'a' + i / 26 % 26) + std::string(1, 'a' + i / 676) + "x"}));
  }
  index->Add(Person("T1", {"MOHAMED ALI, Zoubeir"}));
  index->Add(Person("T2", {"ALI, Mohamed"}));
  MatchQuery query;
  query.name = "Zoubeir Mohamed Ali";
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok());
  ASSERT_FALSE(results->empty());
  EXPECT_EQ(results->front().source_record_id, "T1");
  query.name = "Mohamed Ali";
  results = index->Match(query);
  ASSERT_TRUE(results.ok());
  ASSERT_FALSE(results->empty());
  EXPECT_EQ(results->front().source_record_id, "T2");
}

TEST(MatchIndex, PersonQueryDoesNotHitAnOrganizationThroughItsLetters) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  index->Add(Organization("O1", "E-SAIL SHIPPING COMPANY LTD"));
  MatchQuery query;
  query.name = "Estela Saiz";
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok());
  for (const MatchResult& result : *results)
    EXPECT_LT(result.score, MatchIndex::DefaultThreshold());
}

TEST(MatchIndex, AddReplacesAndRemoveForgets) {
  std::unique_ptr<MatchIndex> index = SampleIndex();
  const int64_t before = index->Stats().entities;
  Entity renamed = Person("W2", {"DUPONT, Pierre"});
  index->Add(renamed);
  EXPECT_EQ(index->Stats().entities, before);
  MatchQuery query;
  query.name = "Pierre Dupont";
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok());
  ASSERT_FALSE(results->empty());
  EXPECT_EQ(results->front().source_record_id, "W2");
  query.name = "Jean Martin";
  results = index->Match(query);
  ASSERT_TRUE(results.ok());
  for (const MatchResult& result : *results) EXPECT_NE(result.source_record_id, "W2");
  index->Remove(renamed.meta.id);
  EXPECT_EQ(index->Stats().entities, before - 1);
  query.name = "Pierre Dupont";
  results = index->Match(query);
  ASSERT_TRUE(results.ok());
  EXPECT_TRUE(results->empty());
}

TEST(MatchIndex, BadQueriesAreInvalidArgument) {
  std::unique_ptr<MatchIndex> index = SampleIndex();
  for (const char* name : {"", "Al", "...", "\xff\xfe"}) {
    MatchQuery query;
    query.name = name;
    Result<std::vector<MatchResult>> results = index->Match(query);
    ASSERT_FALSE(results.ok()) << name;
    EXPECT_EQ(results.status().code(), StatusCode::kInvalidArgument);
  }
  MatchQuery query;
  query.name = "Jean Martin";
  query.nationality = "QQ";
  EXPECT_EQ(index->Match(query).status().code(), StatusCode::kInvalidArgument);
  query.nationality = "";
  query.top = 0;
  EXPECT_EQ(index->Match(query).status().code(), StatusCode::kInvalidArgument);
  query.top = 5;
  query.name = std::string(10 * 1024, 'x');
  EXPECT_EQ(index->Match(query).status().code(), StatusCode::kInvalidArgument);
}

TEST(MatchIndex, EmptyIndexReturnsNothing) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  MatchQuery query;
  query.name = "Jean Martin";
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok());
  EXPECT_TRUE(results->empty());
}

TEST(MatchIndex, IgnoresRevokedAndOtherTypes) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  Entity revoked = Person("R1", {"REVOKED, Person"});
  revoked.meta.revoked = true;
  index->Add(revoked);
  Entity phone = Person("P1", {"PHONE, Thing"});
  phone.type = EntityType::kPhone;
  index->Add(phone);
  EXPECT_EQ(index->Stats().entities, 0);
}

// A list big enough that the fuzzy lookup's compact layer is built (Stats() and the first
// query make it compact; Add rebuilds it when the overflow outgrows it).
std::unique_ptr<MatchIndex> BulkIndex(int count) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  const char* const given[] = {"Ivan", "Pierre", "Omar", "Lucia", "Hans", "Mei", "Tariq", "Olga"};
  for (int i = 0; i < count; ++i) {
    // Made-up surnames: distinct, pronounceable, 7 to 9 letters.
    std::string surname;
    int n = i;
    const char* const syllables[] = {"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "zu", "be"};
    for (int part = 0; part < 4; ++part) {
      surname += syllables[n % 10];
      n /= 10;
    }
    surname += "k";
    index->Add(Person("B" + std::to_string(i), {surname + ", " + given[i % 8]}));
  }
  return index;
}

TEST(MatchIndex, EmptyIndexStatsAreZero) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  MatchIndexStats stats = index->Stats();
  EXPECT_EQ(stats.entities, 0);
  EXPECT_EQ(stats.name_variants, 0);
  EXPECT_GT(stats.memory_bytes, 0);
  index->Remove("person--does-not-exist");
  EXPECT_EQ(index->Stats().entities, 0);
}

TEST(MatchIndex, PartAddedAfterTheBulkBuildIsFoundByFuzzyLookup) {
  std::unique_ptr<MatchIndex> index = BulkIndex(6000);
  EXPECT_EQ(index->Stats().entities, 6000);
  MatchQuery query;
  query.name = "Omar Kalomisak";  // not listed yet
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok());
  // Added after the compact layer was built: lands in the overflow layer.
  index->Add(Person("LATE", {"WOJCIECHOWSKI, Zbigniew"}, PartialDate{1961, 2, 3}, "PL"));
  query.name = "Zbigniew Wojciehowski";  // one letter missing
  results = index->Match(query);
  ASSERT_TRUE(results.ok());
  ASSERT_FALSE(results->empty());
  EXPECT_EQ(results->front().source_record_id, "LATE");
  EXPECT_GE(results->front().score, MatchIndex::DefaultThreshold());
  // A misspelt bulk-loaded part is found through the compact layer too: entry B123 is
  // "NEMILOKAK, Lucia".
  query.name = "Lucia Nemilokk";
  results = index->Match(query);
  ASSERT_TRUE(results.ok());
  ASSERT_FALSE(results->empty());
  EXPECT_EQ(results->front().source_record_id, "B123");
}

TEST(MatchIndex, NearPartsAreLookedUpAgainAfterTheIndexChanges) {
  // A query's near parts are remembered per spelling; an Add must make them stale.
  std::unique_ptr<MatchIndex> index = SampleIndex();
  MatchQuery query;
  query.name = "Zbigniew Wojciehowski";
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok());
  for (const MatchResult& result : *results) EXPECT_NE(result.source_record_id, "NEW");
  index->Add(Person("NEW", {"WOJCIECHOWSKI, Zbigniew"}));
  results = index->Match(query);
  ASSERT_TRUE(results.ok());
  ASSERT_FALSE(results->empty());
  EXPECT_EQ(results->front().source_record_id, "NEW");
  index->Remove(DeterministicId("person", "test", "NEW"));
  results = index->Match(query);
  ASSERT_TRUE(results.ok());
  for (const MatchResult& result : *results) EXPECT_NE(result.source_record_id, "NEW");
}

TEST(MatchIndex, RemovedThenAddedAgainIsFoundOnce) {
  std::unique_ptr<MatchIndex> index = BulkIndex(500);
  Entity person = Person("RE", {"HADDAD, Youssef"}, PartialDate{1970, 5, 5}, "LB");
  index->Add(person);
  index->Remove(person.meta.id);
  MatchQuery query;
  query.name = "Youssef Haddad";
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok());
  for (const MatchResult& result : *results) EXPECT_NE(result.source_record_id, "RE");
  index->Add(person);
  index->Add(person);  // same id again: replaces, never duplicates
  results = index->Match(query);
  ASSERT_TRUE(results.ok());
  ASSERT_FALSE(results->empty());
  EXPECT_EQ(results->front().source_record_id, "RE");
  int found = 0;
  for (const MatchResult& result : *results) found += result.source_record_id == "RE";
  EXPECT_EQ(found, 1);
  EXPECT_EQ(index->Stats().entities, 501);
}

TEST(MatchIndex, MemoryIsCountedPerNameVariant) {
  std::unique_ptr<MatchIndex> index = BulkIndex(20000);
  MatchIndexStats stats = index->Stats();
  EXPECT_EQ(stats.name_variants, 20000);
  EXPECT_GT(stats.memory_bytes, 20000 * 50);
  // Every name here has a surname of its own (a real list shares parts: ~350 bytes a name on
  // the 200k list, see bench/match_bench): a sanity bound.
  EXPECT_LT(stats.memory_bytes / stats.name_variants, 1000);
  std::unique_ptr<MatchIndex> small = BulkIndex(500);
  EXPECT_LT(small->Stats().memory_bytes, stats.memory_bytes / 10);
}

}  // namespace
}  // namespace entente
