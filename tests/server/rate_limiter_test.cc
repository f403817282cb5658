// Request rate limits kept in the store (server/rate_limiter.h): two servers over one store draw
// on one bucket per key; a server that cannot reach the store limits in its own memory.
#include "server/rate_limiter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "../temp_dir.h"
#include "../test_store_target.h"
#include "http/db_pool.h"

namespace entente::server {
namespace {

TEST(RateLimiter, SharedThroughTheStoreAcrossServers) {
  std::string dir = entente::testing::MakeTempDir("entente-rate");
  std::string target = entente::testing::StoreTarget(dir + "/store.db");
  {
    auto db = Database::Open(target);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE(RateLimiter::Migrate(**db).ok());
  }
  // Two servers: each its own pool and limiter over the one store. A burst of 3, 6 a minute.
  DbPool pool_a(target), pool_b(target);
  RateLimiter a(6, 3), b(6, 3), b_other(6, 3);
  a.ShareThrough(&pool_a, "requests");
  b.ShareThrough(&pool_b, "requests");
  b_other.ShareThrough(&pool_b, "other");
  int retry_after = 0;
  EXPECT_TRUE(a.Allow("token-1", &retry_after));
  EXPECT_TRUE(b.Allow("token-1", &retry_after));
  EXPECT_TRUE(a.Allow("token-1", &retry_after));
  EXPECT_FALSE(b.Allow("token-1", &retry_after));  // the burst is spent over both servers
  EXPECT_GE(retry_after, 9);
  EXPECT_LE(retry_after, 10);
  EXPECT_TRUE(b.Allow("token-2", nullptr));        // another key, another bucket
  EXPECT_TRUE(b_other.Allow("token-1", nullptr));  // another scope, another bucket
  // Refilling: 60 a minute, a burst of 1, one token back after a second.
  RateLimiter fast_a(60, 1), fast_b(60, 1);
  fast_a.ShareThrough(&pool_a, "fast");
  fast_b.ShareThrough(&pool_b, "fast");
  EXPECT_TRUE(fast_a.Allow("token-1", nullptr));
  EXPECT_FALSE(fast_b.Allow("token-1", nullptr));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_TRUE(fast_b.Allow("token-1", nullptr));
  EXPECT_FALSE(fast_a.Allow("token-1", nullptr));
  std::filesystem::remove_all(dir);
}

TEST(RateLimiter, LimitsInItsOwnMemoryWhenTheStoreCannotBeReached) {
  DbPool pool("/nonexistent-entente-dir/store.db");
  RateLimiter limiter(60, 2);
  limiter.ShareThrough(&pool, "requests");
  int retry_after = 0;
  EXPECT_TRUE(limiter.Allow("token-1", &retry_after));
  EXPECT_TRUE(limiter.Allow("token-1", &retry_after));
  EXPECT_FALSE(limiter.Allow("token-1", &retry_after));
  EXPECT_GE(retry_after, 1);
}

}  // namespace
}  // namespace entente::server
