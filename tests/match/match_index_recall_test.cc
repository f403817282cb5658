// Candidate generation keeps the true entity among the names it scores even when the query's
// spelling shares few keys with it: a birth date shared, parts joined or split differently,
// a misspelt part near many common ones.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "match/matcher.h"
#include "match/normalize.h"
#include "test_entities.h"

namespace entente {
namespace {

using match_test::Person;

bool HasSource(const std::vector<MatchResult>& results, const std::string& source, size_t within) {
  for (size_t i = 0; i < results.size() && i < within; ++i) {
    if (results[i].source_record_id == source) return true;
  }
  return false;
}

// Fillers that crowd the candidate set: `count` persons sharing `part`, with distinct others.
void AddCrowd(MatchIndex& index, const std::string& prefix, const std::string& part, int count) {
  for (int i = 0; i < count; ++i) {
    std::string other;
    for (int n = i;; n /= 26) {
      other += static_cast<char>('b' + n % 24);
      if (n < 26) break;
    }
    index.Add(Person(prefix + std::to_string(i), {part + ", Qx" + other + "vor"}));
  }
}

TEST(MatchIndexRecall, AFullBirthDateBringsInTheEntityBornThatDay) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  index->Add(Person("T1", {"RODRIGUEZ VASQUEZ, Fernain"}, PartialDate{1972, 1, 8}));
  AddCrowd(*index, "F", "CARRILLO", 80);
  MatchQuery query;
  query.name = "CARRILLO, ABEL";
  query.birth_date = PartialDate{1972, 1, 8};
  query.top = 200;
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok()) << results.status().message();
  ASSERT_TRUE(HasSource(*results, "T1", results->size()));
  for (const MatchResult& result : *results) {
    if (result.source_record_id != "T1") continue;
    // Found by the date, scored on the names: far below a hit.
    EXPECT_LT(result.score, MatchIndex::DefaultThreshold());
    EXPECT_NE(result.Explanation().find("birth_date"), std::string::npos) << result.Explanation();
  }
  // A day off, or day and month swapped, brings it in too; another date does not.
  const PartialDate near_dates[] = {{1972, 1, 9}, {1972, 1, 7}, {1972, 8, 1}};
  for (const PartialDate& near : near_dates) {
    query.birth_date = near;
    results = index->Match(query);
    ASSERT_TRUE(results.ok());
    EXPECT_TRUE(HasSource(*results, "T1", results->size())) << near.ToString();
  }
  query.birth_date = PartialDate{1972, 3, 8};
  results = index->Match(query);
  ASSERT_TRUE(results.ok());
  EXPECT_FALSE(HasSource(*results, "T1", results->size()));
  // Without the date it is not a candidate at all.
  query.birth_date.reset();
  results = index->Match(query);
  ASSERT_TRUE(results.ok());
  EXPECT_FALSE(HasSource(*results, "T1", results->size()));
}

TEST(MatchIndexRecall, ADateSharedByTooManyEntitiesBringsNobodyIn) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  for (int i = 0; i < 100; ++i) {
    index->Add(Person("P" + std::to_string(i), {"ZORBEK" + std::to_string(i) + " Ulfric"},
                      PartialDate{1970, 1, 1}));
  }
  MatchQuery query;
  query.name = "Quintus Maximus";
  query.birth_date = PartialDate{1970, 1, 1};
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok());
  EXPECT_TRUE(results->empty());
}

TEST(MatchIndexRecall, PartsJoinedInTheListAreFoundFromTheSplitQuery) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  AddCrowd(*index, "F", "WANG", 120);  // added first: they win ties
  index->Add(Person("T1", {"WANG, Guoying"}, PartialDate{1950, 3, 19}));
  MatchQuery query;
  query.name = "Wang, Guo Ying";
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok()) << results.status().message();
  ASSERT_FALSE(results->empty());
  EXPECT_EQ(results->front().source_record_id, "T1");
  EXPECT_GE(results->front().score, MatchIndex::DefaultThreshold());
}

TEST(MatchIndexRecall, PartsSplitInTheListAreFoundFromTheJoinedQuery) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  AddCrowd(*index, "F", "ABUZAR", 120);  // added first: they win ties
  index->Add(Person("T1", {"GOHARI MOQADAM, Abuzar"}));
  MatchQuery query;
  query.name = "Abuzar GOHARIMOQADAM";
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok()) << results.status().message();
  ASSERT_FALSE(results->empty());
  EXPECT_EQ(results->front().source_record_id, "T1");
}

TEST(MatchIndexRecall, AMisspeltPartNearManyListedPartsDoesNotCrowdOutTheRarePart) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  // Many names with parts one letter from "bary", added first (they win ties).
  const char* near[] = {"BARI", "BARRY", "BARA", "BAYR", "BART", "BARD", "BARN", "BARS"};
  int n = 0;
  for (const char* part : near) {
    for (int i = 0; i < 20; ++i, ++n) {
      index->Add(Person("F" + std::to_string(n),
                        {std::string(part) + ", Other" + std::string(1, 'a' + i) + "vich"}));
    }
  }
  index->Add(Person("T1", {"BABRI, Mehran"}, PartialDate{1968, 10, 3}));
  MatchQuery query;
  query.name = "BARY, MEHRAN";
  query.birth_date = PartialDate{1960, 5, 5};  // a different date: only the names can find it
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok()) << results.status().message();
  EXPECT_TRUE(HasSource(*results, "T1", 5));
}

TEST(MatchIndexRecall, TheSameIdentityNumberIsAHitWhateverTheName) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  Entity listed = Person("T1", {"RODRIGUEZ VASQUEZ, Fernain"}, PartialDate{1972, 1, 8});
  listed.documents.push_back({"passport", "PA-123 4567", "MX", "", ""});
  index->Add(listed);
  AddCrowd(*index, "F", "CARRILLO", 20);
  MatchQuery query;
  query.name = "CARRILLO, ABEL";
  query.id_number = "pa1234567";
  query.birth_date = PartialDate{1972, 1, 8};
  Result<std::vector<MatchResult>> results = index->Match(query);
  ASSERT_TRUE(results.ok()) << results.status().message();
  ASSERT_FALSE(results->empty());
  EXPECT_EQ(results->front().source_record_id, "T1");
  EXPECT_GE(results->front().score, MatchIndex::DefaultThreshold());
  EXPECT_NE(results->front().Explanation().find("the same document"), std::string::npos)
      << results->front().Explanation();
  // A short number (a reused form field) proves nothing on its own.
  query.id_number = "12";
  listed.documents[0].number = "12";
  index->Add(listed);
  results = index->Match(query);
  ASSERT_TRUE(results.ok());
  for (const MatchResult& result : *results) {
    if (result.source_record_id == "T1") {
      EXPECT_LT(result.score, MatchIndex::DefaultThreshold());
    }
  }
}

TEST(MatchIndexRecall, OlderAndNewerKoreanRomanizationsMeet) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  // Real SDN entries and, as queries, their published aliases.
  index->Add(Person("T1", {"RI, Tok Chin"}));
  index->Add(Person("T2", {"CHU, Kyu-Chang"}));
  index->Add(Person("T3", {"RI, Chong Chol"}));
  index->Add(Person("T4", {"RI, Song Chol"}));
  const std::vector<std::pair<std::string, std::string>> aliases = {
      {"Ri Tok Jin", "T1"}, {"JU, Kyu Chang", "T2"}, {"RI, Jong Chol", "T3"}};
  for (const auto& [alias, key] : aliases) {
    std::vector<MatchResult> results = match_test::Search(*index, alias);
    ASSERT_FALSE(results.empty()) << alias;
    EXPECT_EQ(results.front().source_record_id, key) << alias;
    EXPECT_GE(results.front().score, MatchIndex::DefaultThreshold()) << alias;
    EXPECT_NE(results.front().Explanation().find("romanization"), std::string::npos)
        << results.front().Explanation();
  }
  // Another given name is still another person: "Ri Kyu Jin" is neither listed Ri.
  for (const MatchResult& result : match_test::Search(*index, "Ri Kyu Jin")) {
    EXPECT_LT(result.score, MatchIndex::DefaultThreshold()) << result.Explanation();
  }
}

TEST(MatchIndexRecall, AMaghrebiOuSpellingMeetsTheW) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  index->Add(Person("T1", {"OUAZ, Najib"}, PartialDate{1960, 4, 12}));
  std::vector<MatchResult> results = match_test::Search(*index, "AL-WAZ, Najib");
  ASSERT_FALSE(results.empty());
  EXPECT_EQ(results.front().source_record_id, "T1");
  EXPECT_GE(results.front().score, MatchIndex::DefaultThreshold());
  EXPECT_NE(results.front().Explanation().find("ou=w"), std::string::npos)
      << results.front().Explanation();
  // A given name alone is not a hit.
  for (const MatchResult& result : match_test::Search(*index, "Najib")) {
    EXPECT_LT(result.score, MatchIndex::DefaultThreshold()) << result.Explanation();
  }
}

// A compound's second half listed as the surname ("ULLAH, Haji Khair", a real SDN alias of
// BARAKZAI, Haji Khairullah) goes back after the given names and joins them: Khairullah. A given
// name alone with the half is still no hit on another Khairullah's family.
TEST(MatchIndexRecall, ACompoundHalfListedAsTheSurnameJoinsItsName) {
  std::unique_ptr<MatchIndex> index = MatchIndex::Create();
  index->Add(Person("SDN-1", {"BARAKZAI, Haji Khairullah", "KHAIRULLAH, Haji"}));
  index->Add(Person("SDN-2", {"KHAIRKHWA, Khairullah Said Wali"}));
  std::vector<MatchResult> results = match_test::Search(*index, "ULLAH, Haji Khair");
  ASSERT_FALSE(results.empty());
  EXPECT_EQ(results.front().source_record_id, "SDN-1");
  EXPECT_GE(results.front().score, MatchIndex::DefaultThreshold()) << results.front().Explanation();
  // Nothing moves when the part before the comma is more than the half: it is joined in place.
  Result<match::NormalizedName> kept = match::NormalizeName("KHAIR ULLAH, Haji");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->tokens.front().text, "khairullah");
  for (const MatchResult& result : match_test::Search(*index, "ULLAH, Said")) {
    EXPECT_LT(result.score, MatchIndex::DefaultThreshold()) << result.Explanation();
  }
}

}  // namespace
}  // namespace entente
