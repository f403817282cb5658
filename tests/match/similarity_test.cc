#include "match/similarity.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

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

// `size` random letters from the first `alphabet` letters (small alphabets repeat letters).
std::string RandomText(std::mt19937& rng, int alphabet, size_t size) {
  std::string text;
  for (size_t k = 0; k < size; ++k) text += static_cast<char>('a' + rng() % alphabet);
  return text;
}

// The row-by-row table the bit-parallel distances must agree with, cell for cell: Levenshtein,
// plus the swap of two adjacent letters as one edit when `swaps`.
int ReferenceDistance(const std::string& a, const std::string& b, bool swaps) {
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (swaps && i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// Random pairs over small alphabets (many repeated letters and swaps), lengths 0 to 64, and one
// side an edited copy of the other: every bound from 0 to 5 gives min(distance, bound + 1).
TEST(BoundedOsa, AgreesWithTheFullTableOnRandomPairs) {
  std::mt19937 rng(20261204);
  for (int round = 0; round < 20000; ++round) {
    const int alphabet = 2 + static_cast<int>(rng() % 5);
    auto random_text = [&](size_t size) { return RandomText(rng, alphabet, size); };
    const std::string a = random_text(rng() % (round % 10 == 0 ? 65 : 12));
    std::string b = random_text(rng() % (round % 10 == 0 ? 65 : 12));
    if (round % 3 == 0 && a.size() >= 2) {  // a copy of a with a swap and a change
      b = a;
      const size_t pos = rng() % (b.size() - 1);
      std::swap(b[pos], b[pos + 1]);
      b[rng() % b.size()] = static_cast<char>('a' + rng() % alphabet);
    }
    const int osa = ReferenceDistance(a, b, true);
    const int levenshtein = ReferenceDistance(a, b, false);
    for (int bound = 0; bound <= 5; ++bound) {
      ASSERT_EQ(BoundedOsa(a, b, bound), std::min(osa, bound + 1)) << a << " / " << b;
      ASSERT_EQ(BoundedLevenshtein(a, b, bound), std::min(levenshtein, bound + 1))
          << a << " / " << b;
    }
    ASSERT_EQ(BoundedOsa(a, b, 100), osa) << a << " / " << b;
    ASSERT_EQ(BoundedLevenshtein(a, b, 100), levenshtein) << a << " / " << b;
  }
}

// Jaro-Winkler the plain way (each byte of `a` takes the first unmatched equal byte of `b` in
// the window), which the bit-parallel one must agree with (one match more or less moves the
// value by more than 1e-5).
double ReferenceJaroWinkler(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty() ? 1.0 : 0.0;
  if (a == b) return 1.0;
  const int len_a = static_cast<int>(a.size());
  const int len_b = static_cast<int>(b.size());
  const int window = std::max(0, std::max(len_a, len_b) / 2 - 1);
  std::vector<bool> used_a(a.size()), used_b(b.size());
  int matches = 0;
  for (int i = 0; i < len_a; ++i) {
    for (int j = std::max(0, i - window); j <= std::min(len_b - 1, i + window); ++j) {
      if (used_b[j] || a[i] != b[j]) continue;
      used_a[i] = used_b[j] = true;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  int transpositions = 0;
  for (int i = 0, j = 0; i < len_a; ++i) {
    if (!used_a[i]) continue;
    while (!used_b[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  // The same quantities summed in another order (equal to within rounding).
  const double jaro = (static_cast<double>(matches) * (len_a + len_b) / (len_a * len_b) + 1.0 -
                       transpositions / (2.0 * matches)) /
                      3.0;
  size_t prefix = 0;
  while (prefix < std::min<size_t>({4, a.size(), b.size()}) && a[prefix] == b[prefix]) ++prefix;
  return (1.0 - 0.1 * prefix) * jaro + 0.1 * prefix;
}

TEST(JaroWinkler, AgreesWithThePlainLoopOnRandomPairs) {
  std::mt19937 rng(7);
  for (int round = 0; round < 20000; ++round) {
    const int alphabet = 2 + static_cast<int>(rng() % 8);
    auto random_text = [&](size_t size) { return RandomText(rng, alphabet, size); };
    const std::string a = random_text(rng() % (round % 10 == 0 ? 65 : 14));
    const std::string b = random_text(rng() % (round % 10 == 0 ? 65 : 14));
    ASSERT_NEAR(JaroWinkler(a, b), ReferenceJaroWinkler(a, b), 1e-12) << a << " / " << b;
  }
}

TEST(BoundedOsa, ReadsBytesOutsideTheLettersAndLeavesNoStateBehind) {
  EXPECT_EQ(BoundedOsa("\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9", 3), 0);
  EXPECT_EQ(BoundedOsa("\xff\x01", "\x01\xff", 3), 1);
  // The masks of one call must not leak into the next (each clears what it set).
  EXPECT_EQ(BoundedOsa("abc", "xyz", 5), 3);
  EXPECT_EQ(BoundedOsa("xyz", "abc", 5), 3);
  EXPECT_EQ(BoundedLevenshtein("0123456789", "0123456789", 0), 0);
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
