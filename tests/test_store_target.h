// Which store the tests above the store layer run on. ctest runs those suites twice: as they are
// (SQLite files in temp folders) and again with ENTENTE_TEST_STORE=postgres, where every store
// a test names becomes a fresh database in one private PostgreSQL 15 cluster for the whole run
// (started by the `pg_cluster` ctest fixture, whose folder is in ENTENTE_TEST_PG_DIR; a test
// binary run by hand with ENTENTE_TEST_STORE=postgres starts a cluster of its own).
//
//   std::string db = StoreTarget(dir + "/store.db");   // pass to Database::Open or --db
//
// The same path gives the same database for the whole test, so a test may open it again or hand
// it to a child `entente` process. Databases are dropped when their test ends (or, when made in
// SetUpTestSuite, when the suite ends): InstallStoreCleanup() from the test main arranges that.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pg_cluster.h"

namespace entente::testing {

// True under ENTENTE_TEST_STORE=postgres, or when ENTENTE_TEST_PG_DIR names the run's cluster.
inline bool TestStoreIsPostgres() {
  const char* store = std::getenv("ENTENTE_TEST_STORE");
  const char* dir = std::getenv("ENTENTE_TEST_PG_DIR");
  return (store && std::string(store) == "postgres") || (dir && *dir);
}

// The run's cluster: attached from ENTENTE_TEST_PG_DIR, else started for this process. Null
// (with a test failure saying why) when PostgreSQL cannot be reached.
inline PgCluster* TestCluster() {
  static std::unique_ptr<PgCluster> cluster;
  static bool tried = false;
  static std::string why;
  if (!tried) {
    tried = true;
    const char* dir = std::getenv("ENTENTE_TEST_PG_DIR");
    auto candidate = dir && *dir ? std::make_unique<PgCluster>(dir, /*owned=*/false)
                                 : std::make_unique<PgCluster>();
    bool up = dir && *dir ? candidate->Attach(&why) : candidate->Start(&why);
    if (up) cluster = std::move(candidate);
  }
  if (!cluster) ADD_FAILURE() << "ENTENTE_TEST_STORE=postgres but " << why;
  return cluster.get();
}

struct TestDatabase {
  std::string name;
  bool per_test;  // made inside a test (dropped at its end) or in a suite's set-up
};
inline std::vector<TestDatabase>& TestDatabases() {
  static std::vector<TestDatabase> made;
  return made;
}

inline std::string StoreTarget(const std::string& path) {
  if (!TestStoreIsPostgres() || path.rfind("postgresql://", 0) == 0) return path;
  PgCluster* cluster = TestCluster();
  char name[24];
  std::snprintf(name, sizeof name, "t%016zx", std::hash<std::string>{}(path));
  if (!cluster) return "postgresql:///" + std::string(name) + "?host=/nonexistent";
  // A PostgreSQL store has no default record-id key file (ingest/record_ids.h): every store of
  // the run, and every entente process a test starts, uses one in the cluster's folder.
  setenv("ENTENTE_ID_KEY_FILE", (cluster->dir() + "/test.id-key").c_str(), /*overwrite=*/0);
  for (const TestDatabase& made : TestDatabases())
    if (made.name == name) return cluster->ConnInfo(name);
  if (!cluster->Psql("postgres", std::string("CREATE DATABASE ") + name + " STRATEGY FILE_COPY"))
    ADD_FAILURE() << "cannot create the test database " << name << " in " << cluster->dir();
  bool in_test = ::testing::UnitTest::GetInstance()->current_test_info() != nullptr;
  TestDatabases().push_back({name, in_test});
  return cluster->ConnInfo(name);
}

// Makes store `to` a copy of store `from` (both StoreTarget()s): the SQLite file copied, or the
// PostgreSQL database re-created from `from` as its template (nobody may be connected to it).
inline void CopyStore(const std::string& from, const std::string& to) {
  if (!TestStoreIsPostgres()) {
    std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
    return;
  }
  auto name_of = [](const std::string& target) {
    size_t start = target.find(":///") + 4, end = target.find('?');
    return target.substr(start, end - start);
  };
  PgCluster* cluster = TestCluster();
  if (!cluster) return;
  EXPECT_TRUE(
      cluster->Psql("postgres", "DROP DATABASE IF EXISTS " + name_of(to) + " WITH (FORCE)"));
  EXPECT_TRUE(cluster->Psql("postgres", "CREATE DATABASE " + name_of(to) + " TEMPLATE " +
                                            name_of(from) + " STRATEGY FILE_COPY"))
      << "cannot copy " << from << " (is a connection to it still open?)";
}

// Drops the databases made by the test that ended (or by the suite, when `suite`).
inline void DropTestDatabases(bool suite) {
  auto& made = TestDatabases();
  for (auto it = made.begin(); it != made.end();) {
    if (it->per_test || suite) {
      if (PgCluster* cluster = TestCluster())
        cluster->Psql("postgres", "DROP DATABASE IF EXISTS " + it->name + " WITH (FORCE)");
      it = made.erase(it);
    } else {
      ++it;
    }
  }
}

inline void InstallStoreCleanup() {
  if (!TestStoreIsPostgres()) return;
  struct Cleanup : ::testing::EmptyTestEventListener {
    void OnTestEnd(const ::testing::TestInfo&) override { DropTestDatabases(false); }
    void OnTestSuiteEnd(const ::testing::TestSuite&) override { DropTestDatabases(true); }
  };
  ::testing::UnitTest::GetInstance()->listeners().Append(new Cleanup);
}

}  // namespace entente::testing
