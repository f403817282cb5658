// The sign-in throttle: lockouts that double, and, shared through the store, one count for
// every server over one database (a guesser gains nothing by spreading tries over servers).
#include "http/auth_throttle.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "../temp_dir.h"
#include "../test_store_target.h"
#include "http/db_pool.h"

namespace entente::server {
namespace {

TEST(AuthThrottle, LocksOutAfterTheFreeFailuresAndDoubles) {
  AuthThrottle throttle(2);
  EXPECT_EQ(throttle.Failure("k"), 0);
  EXPECT_EQ(throttle.Failure("k"), 0);
  EXPECT_EQ(throttle.Failure("k"), 1);
  EXPECT_EQ(throttle.Failure("k"), 2);
  EXPECT_GT(throttle.RetryAfter("k"), 0);
  EXPECT_EQ(throttle.RetryAfter("other"), 0);
  throttle.Success("k");
  EXPECT_EQ(throttle.RetryAfter("k"), 0);
}

TEST(AuthThrottle, SharedThroughTheStoreAcrossServers) {
  std::string dir = entente::testing::MakeTempDir("entente-throttle");
  std::string target = entente::testing::StoreTarget(dir + "/store.db");
  {
    auto db = Database::Open(target);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE(AuthThrottle::Migrate(**db).ok());
  }
  // Two servers: each its own pool and throttle over the one store.
  DbPool pool_a(target), pool_b(target);
  AuthThrottle a(2), b(2), b_users(2);
  a.ShareThrough(&pool_a, "address");
  b.ShareThrough(&pool_b, "address");
  b_users.ShareThrough(&pool_b, "user");
  EXPECT_EQ(a.Failure("10.0.0.9"), 0);
  EXPECT_EQ(b.Failure("10.0.0.9"), 0);
  EXPECT_EQ(a.Failure("10.0.0.9"), 1);  // the third failure, counted over both servers
  EXPECT_GT(b.RetryAfter("10.0.0.9"), 0);
  EXPECT_EQ(b_users.RetryAfter("10.0.0.9"), 0);  // another scope, another count
  EXPECT_EQ(b.Failure("10.0.0.9"), 2);
  b.Success("10.0.0.9");
  EXPECT_EQ(a.RetryAfter("10.0.0.9"), 0);
  EXPECT_EQ(a.Failure("10.0.0.9"), 0);  // the count started over
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace entente::server
