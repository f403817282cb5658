#include "graph/id_table.h"

#include <gtest/gtest.h>

namespace entente::graph {
namespace {

TEST(IdTable, CanonicalIdsRoundTripAndDedupe) {
  IdTable table;
  const std::string id = "person--1b4e28ba-2fa1-51d2-883f-0016d3cca427";
  uint32_t first = table.Intern(id);
  EXPECT_EQ(table.Intern(id), first);
  EXPECT_EQ(table.Get(first), id);
  EXPECT_EQ(table.Find(id), first);
  EXPECT_FALSE(table.Find("person--1b4e28ba-2fa1-51d2-883f-0016d3cca428").has_value());
  EXPECT_FALSE(table.Find("phone--1b4e28ba-2fa1-51d2-883f-0016d3cca427").has_value());
}

TEST(IdTable, NonCanonicalIdsAreKeptVerbatim) {
  IdTable table;
  const std::string upper = "person--1B4E28BA-2FA1-51D2-883F-0016D3CCA427";
  const std::string odd = "not an id";
  uint32_t a = table.Intern(upper);
  uint32_t b = table.Intern(odd);
  EXPECT_NE(a, b);
  EXPECT_EQ(table.Get(a), upper);
  EXPECT_EQ(table.Get(b), odd);
  EXPECT_EQ(table.Find(odd), b);
  EXPECT_EQ(table.Intern(odd), b);
}

TEST(IdTable, GrowsPastManyIds) {
  IdTable table;
  char buffer[64];
  uint32_t expected = 0;
  uint32_t index_of_31337 = 0;
  for (int number = 0; number < 50000; ++number) {
    std::snprintf(buffer, sizeof(buffer), "phone--00000000-0000-4000-8000-%012d", number);
    ASSERT_EQ(table.Intern(buffer), expected++);
    if (number == 31337) index_of_31337 = expected - 1;
    if (number % 7 == 0) {
      ASSERT_EQ(table.Intern("x" + std::to_string(number)), expected++);
    }
  }
  std::snprintf(buffer, sizeof(buffer), "phone--00000000-0000-4000-8000-%012d", 31337);
  EXPECT_EQ(table.Find(buffer), index_of_31337);
  EXPECT_EQ(table.Get(index_of_31337), buffer);
  EXPECT_TRUE(table.Find("x49994").has_value());
}

}  // namespace
}  // namespace entente::graph
