#include "match/scorer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

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

TEST(ScoreNames, EmptySidesScoreZero) { EXPECT_EQ(ScoreNames({}, {Token("a")}, false).score, 0.0); }

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

namespace entente::match {
namespace {

TEST(TokenSimilarity, GradesTyposByEditsForTheLength) {
  const char* how = nullptr;
  // One swap in a five-letter part: a typo, close to a skeleton match.
  EXPECT_GE(TokenSimilarity(Token("atnon"), Token("anton"), &how), 0.85);
  EXPECT_STREQ(how, "typo");
  // Two edits count more in a short part than in a long one.
  const double short_two = TokenSimilarity(Token("kiogn"), Token("kyong"), &how);
  const double long_two = TokenSimilarity(Token("abramhcenko"), Token("abramchenko"), &how);
  EXPECT_LT(short_two, long_two);
  EXPECT_EQ(TokenSimilarity(Token("abc"), Token("xyz"), &how), 0.0);
  EXPECT_EQ(how, nullptr);
}

TEST(TokenSimilarity, SameSkeletonNeedsCloseVowelsToo) {
  ScoredToken a = Token("sanchez");
  ScoredToken b = Token("swanseas");
  a.skeleton_id = b.skeleton_id = 7;  // both s-n-s
  const char* how = nullptr;
  EXPECT_LT(TokenSimilarity(a, b, &how), 0.9);
  ScoredToken c = Token("hashim");
  ScoredToken d = Token("hachim");
  c.skeleton_id = d.skeleton_id = 8;
  EXPECT_DOUBLE_EQ(TokenSimilarity(c, d, &how), 0.9);
}

TEST(ScoreNames, SingleLettersOfAnOrganizationAreNotInitials) {
  std::vector<ScoredToken> q = {Token("estela"), Token("saiz")};
  std::vector<ScoredToken> c = {Token("e"), Token("saiz")};
  EXPECT_GT(ScoreNames(q, c, false, /*candidate_is_organization=*/false).score,
            ScoreNames(q, c, false, /*candidate_is_organization=*/true).score);
}

TEST(ScoreNames, TwoDifferentGivenNamesCostMoreThanAMissingOne) {
  std::vector<ScoredToken> missing = {Token("reyes"), Token("enriquez")};
  std::vector<ScoredToken> other = {Token("amberto"), Token("reyes"), Token("enriquez")};
  std::vector<ScoredToken> listed = {Token("luis"), Token("reyes"), Token("enriquez")};
  EXPECT_GT(ScoreNames(missing, listed, false).score, ScoreNames(other, listed, false).score);
}

TEST(ScoreNames, UnmatchedBinCostsAsMuchAsTheNameItIntroduces) {
  // "Bensaid Mohamed" is not "Said Mohamed".
  std::vector<ScoredToken> q = {Token("bin", 0.4f), Token("said", 5.0f), Token("mohamed", 3.0f)};
  std::vector<ScoredToken> c = {Token("said", 5.0f), Token("mohamed", 3.0f)};
  EXPECT_LT(ScoreNames(q, c, false).score, 0.75);
}

TEST(CompareBirthDates, AnAgreeingFullDateBacksUpANameThatAgreesInPart) {
  const PartialDate d{1978, 11, 11};
  std::string why;
  const double alone = CompareBirthDates(d, {{1978, 11, 11}}, &why);
  const double backing = CompareBirthDates(d, {{1978, 11, 11}}, &why, 0.42);
  EXPECT_DOUBLE_EQ(backing - alone, kCorroborationBonus);
  EXPECT_NE(why.find("backs up the name"), std::string::npos) << why;
  // A name that hardly agrees is not backed up; nor is a year alone or a different date.
  EXPECT_DOUBLE_EQ(CompareBirthDates(d, {{1978, 11, 11}}, &why, 0.2), alone);
  EXPECT_EQ(why.find("backs up"), std::string::npos) << why;
  const PartialDate year_only{1978, 0, 0};
  EXPECT_DOUBLE_EQ(CompareBirthDates(year_only, {{1978, 11, 11}}, &why, 0.9),
                   CompareBirthDates(year_only, {{1978, 11, 11}}, &why));
  EXPECT_LT(CompareBirthDates(d, {{1950, 2, 3}}, &why, 0.9), 0.0);
  // Day and month swapped counts as agreeing.
  EXPECT_GT(CompareBirthDates(d, {{1978, 11, 12}}, &why, 0.5),
            CompareBirthDates(d, {{1978, 11, 12}}, &why));
}

// The index passes over entities whose name score plus MostFactsAdd stays under the threshold:
// no date or nationality may add more than it says (every kind of date pair, every name score).
TEST(MostFactsAdd, BoundsWhatDatesAndNationalityAdd) {
  const std::vector<PartialDate> queries = {{1978, 11, 11}, {1978, 11, 0}, {1978, 0, 0},
                                            {1978, 3, 4}};
  const std::vector<PartialDate> listed = {{1978, 11, 11}, {1978, 11, 12}, {1978, 4, 3},
                                           {1987, 11, 11}, {1978, 0, 0},   {1978, 11, 0},
                                           {1979, 11, 11}, {1950, 1, 1},   {1978, 3, 4}};
  double most = -1.0;
  for (const PartialDate& q : queries) {
    for (const PartialDate& c : listed) {
      for (double name_score : {-1.0, 0.0, 0.35, 0.5, 1.0}) {
        std::string why;
        const double value = CompareBirthDates(q, {c}, &why, name_score);
        EXPECT_LE(value, MostFactsAdd(true, false)) << q.ToString() << " / " << c.ToString();
        most = std::max(most, value);
      }
    }
  }
  EXPECT_DOUBLE_EQ(most, MostFactsAdd(true, false));  // the bound is reached: it is the most
  std::string why;
  EXPECT_DOUBLE_EQ(CompareNationality("DZ", {"FR", "DZ"}, &why), MostFactsAdd(false, true));
  EXPECT_DOUBLE_EQ(MostFactsAdd(true, true), MostFactsAdd(true, false) + MostFactsAdd(false, true));
  EXPECT_EQ(MostFactsAdd(false, false), 0.0);
  EXPECT_LE(CompareGender(Gender::kMale, Gender::kFemale, &why), 0.0);
}

TEST(TokenSimilarity, ATypoOnTopOfATransliterationStillReadsAsClose) {
  const char* how = nullptr;
  // "javjden": "javidan" transliterated (e/a) with one letter mistyped (j for i).
  const double value = TokenSimilarity(Token("javjden"), Token("javidan"), &how);
  EXPECT_GE(value, 0.75);
  EXPECT_STREQ(how, "translit+typo");
  // Parts of very different lengths or consonants are not typos of each other.
  EXPECT_LT(TokenSimilarity(Token("gharsallah"), Token("sal"), &how), 0.5);
  EXPECT_LT(TokenSimilarity(Token("sonia"), Token("hussain"), &how), 0.6);
}

TEST(TokenSimilarity, TwoRomanizationsOfOneKoreanOrChineseSyllableAreClose) {
  const char* how = nullptr;
  // Real SDN spellings: "RI, Tok Jin" is listed as "RI, Tok Chin", "CHOE, Pu Il" as "Bu".
  EXPECT_DOUBLE_EQ(TokenSimilarity(Token("jin"), Token("chin"), &how),
                   kRomanizedSyllableSimilarity);
  EXPECT_STREQ(how, "romanization");
  EXPECT_DOUBLE_EQ(TokenSimilarity(Token("bu"), Token("pu"), &how), kRomanizedSyllableSimilarity);
  EXPECT_DOUBLE_EQ(TokenSimilarity(Token("jong"), Token("chong"), &how),
                   kRomanizedSyllableSimilarity);
  // The rest of the syllable must be the same, one syllable only, and the first consonants one
  // of the pairs (one letter apart they are still a typo, not a romanization).
  EXPECT_LT(TokenSimilarity(Token("jang"), Token("chung"), &how), 0.75);
  TokenSimilarity(Token("tarek"), Token("darek"), &how);
  EXPECT_STREQ(how, "typo");
  TokenSimilarity(Token("kim"), Token("sim"), &how);
  EXPECT_STREQ(how, "typo");
}

TEST(TokenSimilarity, AFrenchOuBeforeAVowelIsAW) {
  const char* how = nullptr;
  // SDN: "OUAZ, Najib", alias "AL-WAZ, Najib Ben Mohamed Ben Salem".
  EXPECT_DOUBLE_EQ(TokenSimilarity(Token("waz"), Token("ouaz"), &how), kFrenchWawSimilarity);
  EXPECT_STREQ(how, "ou=w");
  EXPECT_DOUBLE_EQ(TokenSimilarity(Token("oualid"), Token("walid"), &how), kFrenchWawSimilarity);
  // "ou" before a consonant is a vowel: "Mourad" is not "Mwrad".
  EXPECT_LT(TokenSimilarity(Token("mourad"), Token("mwrad"), &how), kFrenchWawSimilarity);
}

TEST(TokenSimilarity, APersianVIsTheWOfAnArabicRendering) {
  const char* how = nullptr;
  // SDN: "FADAVI, Ali", alias "FADWI, Ali".
  EXPECT_GE(TokenSimilarity(Token("fadwi"), Token("fadavi"), &how), 0.75);
  EXPECT_STREQ(how, "translit+typo");
  // Only against a w: "Canal" is not "Canalve".
  EXPECT_LT(TokenSimilarity(Token("canal"), Token("canalve"), &how), 0.75);
}

TEST(TokenSimilarity, RenderingsThatDifferOnlyInTheirVowelsAreClose) {
  const char* how = nullptr;
  // SDN: "AL-UBAYDI, Ahmad Hassan Kaka", alias "AL-OBEIDI, Ahmed Hassan Kaka".
  EXPECT_DOUBLE_EQ(TokenSimilarity(Token("obeidi"), Token("ubaydi"), &how),
                   kVowelsDifferSimilarity);
  EXPECT_STREQ(how, "vowels");
  // A consonant that differs, or moves, is not a vowel rendering.
  TokenSimilarity(Token("obeidi"), Token("ubayti"), &how);
  EXPECT_STRNE(how, "vowels");
  TokenSimilarity(Token("obeidi"), Token("ubayid"), &how);
  EXPECT_STRNE(how, "vowels");
  // Known given names of different classes stay other names ("Hamid" / "Hamud").
  ScoredToken hamid = Token("hamid", 5.0f, 1);
  ScoredToken hamud = Token("hamud", 5.0f, 2);
  hamid.known_name = hamud.known_name = true;
  EXPECT_LE(TokenSimilarity(hamid, hamud, &how), kDistinctNamesCap);
}

TEST(TokenSimilarity, TwoKnownNamesOfDifferentClassesAreNotTypos) {
  ScoredToken karim = Token("karim", 5.0f, 1);
  ScoredToken hakim = Token("hakim", 5.0f, 2);
  const char* how = nullptr;
  const double unknown = TokenSimilarity(karim, hakim, &how);
  EXPECT_GT(unknown, kDistinctNamesCap);  // one letter apart
  karim.known_name = hakim.known_name = true;
  EXPECT_LE(TokenSimilarity(karim, hakim, &how), kDistinctNamesCap);
  EXPECT_STREQ(how, "other name");
  // Variants of one name stay variants.
  ScoredToken mohamed = Token("mohamed", 2.0f, 7);
  ScoredToken muhammad = Token("muhammad", 2.0f, 7);
  mohamed.known_name = muhammad.known_name = true;
  EXPECT_DOUBLE_EQ(TokenSimilarity(mohamed, muhammad, &how), 0.95);
}

TEST(SimilarityMemo, GivesWhatTokenSimilarityGivesAndForgetsOnClear) {
  SimilarityMemo memo;
  ScoredToken query = Token("javjden");
  ScoredToken listed = Token("javidan");
  listed.id = 7;
  const char* how_direct = nullptr;
  const char* how_memo = nullptr;
  const double direct = TokenSimilarity(query, listed, &how_direct);
  EXPECT_DOUBLE_EQ(memo.Similarity(0, query, listed, &how_memo), static_cast<float>(direct));
  EXPECT_STREQ(how_memo, how_direct);
  // Remembered by (query part number, listed part id): a second call gives the same answer.
  EXPECT_DOUBLE_EQ(memo.Similarity(0, query, listed, &how_memo), static_cast<float>(direct));
  // Another query part against the same listed part is compared afresh.
  ScoredToken other = Token("javidan");
  EXPECT_DOUBLE_EQ(memo.Similarity(1, other, listed, &how_memo), 1.0);
  EXPECT_STREQ(how_memo, "exact");
  // After Clear the pair (0, 7) means a new query's parts.
  memo.Clear();
  EXPECT_DOUBLE_EQ(memo.Similarity(0, other, listed, &how_memo), 1.0);
  // A listed part without an id is never remembered.
  ScoredToken anonymous = Token("javidan");
  EXPECT_DOUBLE_EQ(memo.Similarity(0, query, anonymous, &how_memo), static_cast<float>(direct));
  // ScoreNames gives the same score with and without a memo.
  std::vector<ScoredToken> q = {Token("javjden"), Token("ali", 2.0f)};
  std::vector<ScoredToken> c = {listed, Token("ali", 2.0f)};
  c[1].id = 8;
  memo.Clear();
  EXPECT_DOUBLE_EQ(ScoreNames(q, c, false, false, &memo).score, ScoreNames(q, c, false).score);
}

TEST(ScoreNames, AGivenNameAloneIsNotAHit) {
  ScoredToken muhammad = Token("muhammad", 3.0f, 7);
  muhammad.known_name = true;
  ScoredToken shaykh = Token("shaykh", 0.3f);
  shaykh.role = TokenRole::kParticle;
  // "Muhammad" against "AL-SHAYKH, Muhammad": the rest of the listed name is a title.
  NameScore alone = ScoreNames({muhammad}, {shaykh, muhammad}, true);
  EXPECT_LE(alone.score, kSingleGivenNameCap);
  EXPECT_NE(alone.detail.find("only a given name agrees"), std::string::npos) << alone.detail;
  // With a second part in the query the cap does not apply: the names are judged as usual.
  ScoredToken idrissi = Token("idrissi", 9.0f);
  EXPECT_GT(ScoreNames({muhammad, idrissi}, {idrissi, muhammad}, false).score, 0.9);
  // Nor when the one part is not a known given name (a rare surname).
  EXPECT_GT(ScoreNames({idrissi}, {shaykh, idrissi}, false).score, kSingleGivenNameCap);
}

}  // namespace
}  // namespace entente::match
