#include "match/scorer.h"

#include <gtest/gtest.h>

namespace entente::match {
namespace {

ScoredToken Token(std::string_view text, float weight = 5.0f, uint32_t class_id = kNoKey) {
  ScoredToken token;
  token.text = text;
  token.weight = weight;
  token.class_id = class_id;
  return token;
}

TEST(ScoreNames, OrderFreeExactIsOne) {
  std::vector<ScoredToken> q = {Token("idrissi"), Token("mohamed")};
  std::vector<ScoredToken> c = {Token("mohamed"), Token("idrissi")};
  EXPECT_DOUBLE_EQ(ScoreNames(q, c, false).score, 1.0);
}

TEST(ScoreNames, VariantClassScoresHigh) {
  std::vector<ScoredToken> q = {Token("mohamed", 2, 7), Token("idrissi", 9)};
  std::vector<ScoredToken> c = {Token("muhammad", 2, 7), Token("idrissi", 9)};
  NameScore score = ScoreNames(q, c, true);
  EXPECT_GT(score.score, 0.95);
  EXPECT_NE(score.detail.find("mohamed~muhammad variant"), std::string::npos) << score.detail;
}

TEST(ScoreNames, RareMissingPartCostsMoreThanCommonOne) {
  std::vector<ScoredToken> q = {Token("mohamed", 2)};
  std::vector<ScoredToken> with_rare = {Token("mohamed", 2), Token("idrissi", 9)};
  std::vector<ScoredToken> with_common = {Token("mohamed", 2), Token("ali", 2)};
  EXPECT_LT(ScoreNames(q, with_rare, false).score, ScoreNames(q, with_common, false).score);
}

TEST(ScoreNames, TyposAndJoinedParts) {
  std::vector<ScoredToken> q = {Token("pankrshkin"), Token("aleksei")};
  std::vector<ScoredToken> c = {Token("pankrashkin"), Token("aleksei")};
  EXPECT_GT(ScoreNames(q, c, false).score, 0.9);
  std::vector<ScoredToken> split = {Token("bin"), Token("jaouad")};
  std::vector<ScoredToken> joined = {Token("binjaouad")};
  EXPECT_GT(ScoreNames(split, joined, false).score, 0.85);
}

TEST(ScoreNames, EmptySidesScoreZero) {
  EXPECT_EQ(ScoreNames({}, {Token("a")}, false).score, 0.0);
}

TEST(CompareBirthDates, Cases) {
  PartialDate d{1987, 3, 4};
  std::string why;
  EXPECT_GT(CompareBirthDates(d, {{1987, 3, 4}}, &why), 0.2);
  EXPECT_NE(why.find("exact"), std::string::npos);
  EXPECT_GT(CompareBirthDates(d, {{1987, 4, 3}}, &why), 0.1);
  EXPECT_NE(why.find("swapped"), std::string::npos);
  EXPECT_GT(CompareBirthDates(d, {{1987, 3, 5}}, &why), 0.1);
  EXPECT_GT(CompareBirthDates(d, {{1987, 0, 0}}, &why), 0.0);
  EXPECT_LT(CompareBirthDates(d, {{1960, 3, 4}}, &why), -0.2);  // a namesake
  EXPECT_EQ(CompareBirthDates(d, {}, &why), 0.0);
  // The best of several listed dates counts.
  EXPECT_GT(CompareBirthDates(d, {{1960, 1, 1}, {1987, 3, 4}}, &why), 0.2);
}

TEST(CompareIdNumbers, ExactOneEditDifferent) {
  std::string why;
  EXPECT_GT(CompareIdNumbers("AB123456", {"AB123456"}, &why), 0.2);
  EXPECT_GT(CompareIdNumbers("AB123456", {"AB123457"}, &why), 0.1);
  EXPECT_LT(CompareIdNumbers("AB123456", {"ZZ999999"}, &why), 0.0);
  EXPECT_EQ(CompareIdNumbers("", {"ZZ999999"}, &why), 0.0);
}

TEST(CompareNationality, SameAndDifferent) {
  std::string why;
  EXPECT_GT(CompareNationality("MA", {"FR", "MA"}, &why), 0.0);
  EXPECT_LT(CompareNationality("MA", {"SY"}, &why), 0.0);
  EXPECT_EQ(CompareNationality("", {"SY"}, &why), 0.0);
}

}  // namespace
}  // namespace entente::match
