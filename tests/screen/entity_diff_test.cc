#include "screen/entity_diff.h"

#include <gtest/gtest.h>

#include "screen_test_util.h"

namespace entente::screen {
namespace {

using testing::Person;

TEST(DescribeEntityChange, NamesDatesAndCategory) {
  Entity before =
      Person("W1", {"Karim Bensaid", "K. Bensaid"}, "1979-11-20", ThreatCategory::kOther);
  Entity after =
      Person("W1", {"Karim Bensaid", "Kareem Ben Saeed"}, "1979-11-21", ThreatCategory::kNarcotics);
  std::string text = DescribeEntityChange(before, after);
  EXPECT_NE(text.find("names +'Kareem Ben Saeed' -'K. Bensaid'"), std::string::npos) << text;
  EXPECT_NE(text.find("birth dates +'1979-11-21' -'1979-11-20'"), std::string::npos) << text;
  EXPECT_NE(text.find("category other -> narcotics"), std::string::npos) << text;
}

TEST(DescribeEntityChange, EmptyWhenNothingMatters) {
  Entity before = Person("W1", {"Karim Bensaid"});
  Entity after = before;
  after.meta.version = 2;
  after.meta.modified = "2026-01-01T00:00:00.000Z";
  EXPECT_EQ(DescribeEntityChange(before, after), "");
}

}  // namespace
}  // namespace entente::screen
