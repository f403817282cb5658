// `entente migrate` on the run's store (SQLite, or PostgreSQL in the pg: run): a new store is
// brought to the current schema step by step, a second run has nothing to do, `--check` lists a
// pending step (a store one version behind) without applying it and exits 1, and bad input
// (an unreachable store, an unknown flag) is refused with a message naming it.
#include <gtest/gtest.h>

#include <string>

#include "../temp_dir.h"
#include "../test_store_target.h"
#include "run_entente.h"
#include "store/database.h"

namespace entente::server::testing {
namespace {

class MigrateCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = entente::testing::MakeTempDir("entente-migrate-test");
    store_ = entente::testing::StoreTarget(dir_ + "/store.db");
    log_ = dir_ + "/migrate.log";
  }
  int Migrate(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"migrate", "--store", store_};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunEntente(args, log_);
  }
  int64_t Count(const std::string& sql) {
    auto db = Database::Open(store_);
    if (!db.ok()) return -1;
    auto rows = (*db)->Query(sql);
    return rows.ok() && !rows->empty() ? (*rows)[0].Int(0) : -1;
  }

  std::string dir_, store_, log_;
};

TEST_F(MigrateCommandTest, UpgradesChecksAndIsIdempotent) {
  EXPECT_EQ(Migrate({"--check"}), 1);
  EXPECT_NE(ReadLog(log_).find("pending: screen v2"), std::string::npos) << ReadLog(log_);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM schema_migrations"), -1)
      << "--check must write nothing, not even the version table";

  ASSERT_EQ(Migrate({}), 0) << ReadLog(log_);
  EXPECT_NE(ReadLog(log_).find("applied screen v2"), std::string::npos) << ReadLog(log_);
  const int64_t steps = Count("SELECT COUNT(*) FROM schema_migrations");
  EXPECT_GE(steps, 10);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM screen_job_chunks"), 0);

  EXPECT_EQ(Migrate({"--check"}), 0) << ReadLog(log_);
  EXPECT_NE(ReadLog(log_).find("up to date"), std::string::npos);
  ASSERT_EQ(Migrate({}), 0);
  EXPECT_NE(ReadLog(log_).find("0 steps applied"), std::string::npos) << ReadLog(log_);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM schema_migrations"), steps);

  // A store one step behind (as before this build): the step is pending, then applied.
  {
    auto db = Database::Open(store_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Execute("DROP TABLE screen_job_chunks").ok());
    ASSERT_TRUE(
        (*db)
            ->Execute("DELETE FROM schema_migrations WHERE component = 'screen' AND version = 2")
            .ok());
  }
  EXPECT_EQ(Migrate({"--check"}), 1);
  EXPECT_NE(ReadLog(log_).find("1 pending migration steps"), std::string::npos) << ReadLog(log_);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM screen_job_chunks"), -1) << "--check applied the step";
  ASSERT_EQ(Migrate({}), 0) << ReadLog(log_);
  EXPECT_NE(ReadLog(log_).find("1 steps applied"), std::string::npos) << ReadLog(log_);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM screen_job_chunks"), 0);
}

TEST_F(MigrateCommandTest, BadInputIsRefused) {
  EXPECT_NE(
      RunEntente({"migrate", "--store", "postgresql:///nodb?host=/nonexistent-entente"}, log_), 0);
  EXPECT_NE(ReadLog(log_).find("nonexistent-entente"), std::string::npos) << ReadLog(log_);
  EXPECT_NE(Migrate({"--no-such-flag"}), 0);
  EXPECT_NE(ReadLog(log_).find("--no-such-flag"), std::string::npos) << ReadLog(log_);
  EXPECT_NE(RunEntente({"migrate", "--store", dir_ + "/no/such/dir/store.db"}, log_), 0);
  EXPECT_NE(ReadLog(log_).find("no/such/dir"), std::string::npos) << ReadLog(log_);
}

}  // namespace
}  // namespace entente::server::testing
