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

}  // namespace
}  // namespace entente::match

namespace entente::match {
namespace {

TEST(BoundedOsa, CountsAdjacentSwapAsOneEdit) {
  EXPECT_EQ(BoundedOsa("atnon", "anton", 3), 1);
  EXPECT_EQ(BoundedLevenshtein("atnon", "anton", 3), 2);
  EXPECT_EQ(BoundedOsa("kitten", "sitting", 5), 3);
  EXPECT_EQ(BoundedOsa("kitten", "sitting", 2), 3);  // gave up: max + 1
  EXPECT_EQ(BoundedOsa("", "ab", 5), 2);
  EXPECT_EQ(BoundedOsa("same", "same", 0), 0);
  EXPECT_EQ(BoundedOsa(std::string(300, 'a'), std::string(200, 'a'), 1), 0);  // first 64 bytes
}

}  // namespace
}  // namespace entente::match
