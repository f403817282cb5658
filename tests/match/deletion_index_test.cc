#include "match/deletion_index.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace entente::match {
namespace {

std::vector<uint32_t> TokensUnder(const DeletionIndex& index, uint64_t hash) {
  std::vector<uint32_t> tokens;
  index.ForEach(hash, [&](uint32_t token) {
    tokens.push_back(token);
    return true;
  });
  return tokens;
}

// Rebuilds `index` from `pairs` (hash, token), which are in ascending token order.
void Rebuild(DeletionIndex& index, const std::vector<std::pair<uint64_t, uint32_t>>& pairs) {
  index.Rebuild(pairs.size(), [&](auto&& emit) {
    for (const auto& [hash, token] : pairs) emit(hash, token);
  });
}

TEST(DeletionIndex, EmptyIndexHasNothing) {
  DeletionIndex index;
  EXPECT_TRUE(TokensUnder(index, 123).empty());
  Rebuild(index, {});
  EXPECT_TRUE(TokensUnder(index, 123).empty());
  EXPECT_EQ(index.compact_entries(), 0u);
}

TEST(DeletionIndex, OverflowAndCompactLayersGiveTheSameOrder) {
  const uint64_t a = 0x1234567890abcdefull;
  const uint64_t b = 0x1234567890abcdeeull;  // same bucket, another fingerprint
  const uint64_t c = 0xfedcba0987654321ull;
  std::vector<std::pair<uint64_t, uint32_t>> pairs = {{a, 0}, {b, 0}, {a, 1},
                                                      {c, 2}, {a, 3}, {b, 4}};
  DeletionIndex overflow_only;
  for (const auto& [hash, token] : pairs) overflow_only.Add(hash, token);
  EXPECT_EQ(overflow_only.overflow_entries(), pairs.size());
  EXPECT_EQ(TokensUnder(overflow_only, a), (std::vector<uint32_t>{3, 1, 0}));  // newest first
  EXPECT_EQ(TokensUnder(overflow_only, b), (std::vector<uint32_t>{4, 0}));
  EXPECT_EQ(TokensUnder(overflow_only, c), (std::vector<uint32_t>{2}));
  EXPECT_TRUE(TokensUnder(overflow_only, 7).empty());

  DeletionIndex compact;
  Rebuild(compact, pairs);
  EXPECT_EQ(compact.compact_entries(), pairs.size());
  EXPECT_EQ(compact.overflow_entries(), 0u);
  EXPECT_EQ(TokensUnder(compact, a), (std::vector<uint32_t>{3, 1, 0}));
  EXPECT_EQ(TokensUnder(compact, b), (std::vector<uint32_t>{4, 0}));
  EXPECT_EQ(TokensUnder(compact, c), (std::vector<uint32_t>{2}));
  EXPECT_TRUE(TokensUnder(compact, 7).empty());
}

TEST(DeletionIndex, TokensAddedAfterARebuildComeFirst) {
  DeletionIndex index;
  std::vector<std::pair<uint64_t, uint32_t>> pairs;
  for (uint32_t token = 0; token < 1000; ++token)
    pairs.push_back({token % 10 * 0x9E3779B97F4A7C15ull, token});
  Rebuild(index, pairs);
  index.Add(0, 1000);  // hash 0 = key of tokens 0, 10, 20, ...
  std::vector<uint32_t> tokens = TokensUnder(index, 0);
  ASSERT_EQ(tokens.size(), 101u);
  EXPECT_EQ(tokens.front(), 1000u);
  EXPECT_EQ(tokens[1], 990u);
  EXPECT_EQ(tokens.back(), 0u);
  // Rebuilding with the added pair keeps the same answer.
  pairs.push_back({0, 1000});
  Rebuild(index, pairs);
  EXPECT_EQ(TokensUnder(index, 0), tokens);
}

TEST(DeletionIndex, WalkStopsWhenAsked) {
  DeletionIndex index;
  for (uint32_t token = 0; token < 5; ++token) index.Add(99, token);
  int seen = 0;
  EXPECT_FALSE(index.ForEach(99, [&](uint32_t) { return ++seen < 2; }));
  EXPECT_EQ(seen, 2);
  EXPECT_TRUE(index.ForEach(98, [](uint32_t) { return false; }));
}

}  // namespace
}  // namespace entente::match
