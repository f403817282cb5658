#include "match/similarity.h"

#include <gtest/gtest.h>

#include <string>

namespace entente::match {
namespace {

TEST(JaroWinkler, KnownValues) {
  EXPECT_DOUBLE_EQ(JaroWinkler("martha", "martha"), 1.0);
  EXPECT_NEAR(JaroWinkler("martha", "marhta"), 0.961, 0.001);
  EXPECT_NEAR(JaroWinkler("dixon", "dicksonx"), 0.813, 0.001);
  EXPECT_DOUBLE_EQ(JaroWinkler("abc", "xyz"), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("", ""), 1.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("a", ""), 0.0);
}

TEST(JaroWinkler, LongStringsAreTruncatedNotOverflowed) {
  std::string a(500, 'a');
  std::string b(300, 'a');
  EXPECT_DOUBLE_EQ(JaroWinkler(a, b), 1.0);
}

TEST(BoundedLevenshtein, CountsAndGivesUp) {
  EXPECT_EQ(BoundedLevenshtein("kitten", "sitting", 5), 3);
  EXPECT_EQ(BoundedLevenshtein("kitten", "sitting", 2), 3);  // gave up: max + 1
  EXPECT_EQ(BoundedLevenshtein("", "abc", 5), 3);
  EXPECT_EQ(BoundedLevenshtein("same", "same", 0), 0);
}

TEST(BoundedOsa, CountsAdjacentSwapAsOneEdit) {
  EXPECT_EQ(BoundedOsa("atnon", "anton", 3), 1);
  EXPECT_EQ(BoundedLevenshtein("atnon", "anton", 3), 2);
  EXPECT_EQ(BoundedOsa("kitten", "sitting", 5), 3);
  EXPECT_EQ(BoundedOsa("kitten", "sitting", 2), 3);  // gave up: max + 1
  EXPECT_EQ(BoundedOsa("", "ab", 5), 2);
  EXPECT_EQ(BoundedOsa("same", "same", 0), 0);
  EXPECT_EQ(BoundedOsa(std::string(300, 'a'), std::string(200, 'a'), 1), 0);  // first 64 bytes
}

TEST(TransliterationDistance, TransliterationEditsAreCheapOthersCostOne) {
  // Vowel for vowel, an added "h", a doubled letter: each well under one edit.
  EXPECT_LE(TransliterationDistance("mohamed", "muhamed", 3.0), 0.5);
  EXPECT_LE(TransliterationDistance("kasim", "khasim", 3.0), 0.5);
  EXPECT_LE(TransliterationDistance("hassan", "hasan", 3.0), 0.5);
  // A typo on top of a transliteration: well under two plain edits.
  EXPECT_LT(TransliterationDistance("javjden", "javidan", 3.0), 1.5);
  // Unrelated letters cost one each.
  EXPECT_DOUBLE_EQ(TransliterationDistance("bart", "bark", 3.0), 1.0);
  EXPECT_DOUBLE_EQ(TransliterationDistance("anton", "atnon", 3.0), 1.0);  // swap
  EXPECT_DOUBLE_EQ(TransliterationDistance("same", "same", 3.0), 0.0);
}

TEST(TransliterationDistance, GivesUpAboveTheBoundAndToleratesLongInput) {
  EXPECT_GT(TransliterationDistance("bcdfg", "klmnp", 1.0), 1.0);
  const std::string long_a(200, 'b');
  const std::string long_b(200, 'c');
  EXPECT_GT(TransliterationDistance(long_a, long_b, 2.0), 2.0);
  EXPECT_DOUBLE_EQ(TransliterationDistance("", "", 1.0), 0.0);
  EXPECT_GT(TransliterationDistance("", "bcd", 1.0), 1.0);
}

}  // namespace
}  // namespace entente::match
