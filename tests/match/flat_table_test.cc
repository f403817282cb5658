#include "match/flat_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace entente::match {
namespace {

uint64_t Hash(const std::string& text) { return HashBytes(text.data(), text.size()); }

TEST(FlatIdTable, EmptyTableFindsNothing) {
  FlatIdTable table;
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.MemoryBytes(), 0u);
  EXPECT_EQ(table.Find(Hash("x"), [](uint32_t) { return true; }), FlatIdTable::kNone);
}

TEST(FlatIdTable, FindsEveryIdAfterGrowing) {
  FlatIdTable table;
  std::vector<std::string> keys;
  for (int i = 0; i < 5000; ++i) keys.push_back("key" + std::to_string(i));
  for (uint32_t id = 0; id < keys.size(); ++id) {
    ASSERT_EQ(table.Find(Hash(keys[id]), [&](uint32_t other) { return keys[other] == keys[id]; }),
              FlatIdTable::kNone);
    table.Insert(Hash(keys[id]), id);
  }
  EXPECT_EQ(table.size(), keys.size());
  // At most 3/4 full, 8 bytes a slot.
  EXPECT_GE(table.MemoryBytes() * 3, keys.size() * 8 * 4);
  for (uint32_t id = 0; id < keys.size(); ++id) {
    EXPECT_EQ(table.Find(Hash(keys[id]), [&](uint32_t other) { return keys[other] == keys[id]; }),
              id);
  }
  const std::string missing = "absent";
  EXPECT_EQ(table.Find(Hash(missing), [&](uint32_t other) { return keys[other] == missing; }),
            FlatIdTable::kNone);
}

TEST(FlatIdTable, EqualHashesAreToldApartByTheCallback) {
  // Every key under one hash: the table must still return the id the callback accepts.
  FlatIdTable table;
  for (uint32_t id = 0; id < 40; ++id) table.Insert(42, id);
  for (uint32_t id = 0; id < 40; ++id) {
    EXPECT_EQ(table.Find(42, [&](uint32_t other) { return other == id; }), id);
  }
  EXPECT_EQ(table.Find(42, [](uint32_t) { return false; }), FlatIdTable::kNone);
  table.Clear();
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.Find(42, [](uint32_t) { return true; }), FlatIdTable::kNone);
}

TEST(HashBytes, SpreadsShortKeysOverTheUpperBits) {
  // The table picks slots with the upper bits: short keys differing in one letter must not
  // share them.
  EXPECT_NE(Hash("ab") >> 48, Hash("ac") >> 48);
  EXPECT_NE(Hash("") >> 48, Hash("a") >> 48);
  EXPECT_EQ(Hash("mohamed"), Hash(std::string("mohamed")));
}

}  // namespace
}  // namespace entente::match
