// The audit chain: appends in the caller's transaction, and Verify() names the first entry
// that was altered, deleted, inserted or reordered, including a cut at the end.
#include "audit/audit_log.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <vector>

#include "../run_entente.h"
#include "../temp_dir.h"
#include "../test_store_target.h"

namespace entente::server {
namespace {

// Runs `body(i)` in `n` child processes at once (each must open its own connection) and
// expects every one to exit 0 (a child reports a failure with another exit code).
void InProcesses(int n, const std::function<int(int)>& body) {
  std::vector<pid_t> children;
  for (int i = 0; i < n; ++i) {
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) _exit(body(i));
    children.push_back(child);
  }
  for (pid_t child : children) {
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child exit " << status;
  }
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = entente::testing::MakeTempDir("entente-audit-test");
    target_ = ::entente::testing::StoreTarget(dir_ + "/audit.db");
    auto db = Database::Open(target_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(AuditLog::Migrate(*db_).ok());
    for (int entry_idx = 1; entry_idx <= 6; ++entry_idx) {
      auto entry = AuditLog::AppendAlone(*db_, {"ana",
                                                "analyst",
                                                "DGSN-DGST",
                                                "record.read",
                                                "person--" + std::to_string(entry_idx),
                                                "ok",
                                                {{"tlp", "AMBER"}}});
      ASSERT_TRUE(entry.ok()) << entry.status().ToString();
      ASSERT_EQ(entry->seq, entry_idx);
    }
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  AuditVerifyReport Verify() {
    auto report = AuditLog::Verify(*db_);
    EXPECT_TRUE(report.ok());
    return report.ok() ? *report : AuditVerifyReport{};
  }
  void Exec(const std::string& sql) { ASSERT_TRUE(db_->Execute(sql).ok()) << sql; }

  std::string dir_;
  std::string target_;
  std::unique_ptr<Database> db_;
};

TEST_F(AuditLogTest, IntactChainVerifies) {
  AuditVerifyReport report = Verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, 6);
  EXPECT_EQ(report.head_seq, 6);
  EXPECT_EQ(report.head_hash.size(), 64u);
}

TEST_F(AuditLogTest, AppendOutsideTransactionIsRefused) {
  auto entry = AuditLog::Append(*db_, {"ana", "analyst", "x", "search", "", "ok", {}});
  EXPECT_FALSE(entry.ok());
}

TEST_F(AuditLogTest, EntryRollsBackWithItsAction) {
  {
    Transaction tx(db_.get());
    ASSERT_TRUE(tx.status().ok());
    ASSERT_TRUE(
        AuditLog::Append(*db_, {"ana", "analyst", "x", "record.write", "p", "ok", {}}).ok());
    // No Commit: the action failed, so its audit entry must vanish with it.
  }
  EXPECT_EQ(Verify().entries, 6);
  EXPECT_TRUE(Verify().ok);
}

TEST_F(AuditLogTest, DetectsAlteredEntry) {
  Exec("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3");
  AuditVerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 3);
  EXPECT_NE(report.problem.find("altered"), std::string::npos) << report.problem;
}

TEST_F(AuditLogTest, DetectsAlteredDetail) {
  Exec("UPDATE audit_log SET detail = '{\"tlp\":\"GREEN\"}' WHERE seq = 5");
  EXPECT_EQ(Verify().first_bad_seq, 5);
}

TEST_F(AuditLogTest, DetectsAlteredEntryWithRecomputedHash) {
  // The forger recomputes entry 2's own hash; entry 3 no longer follows it.
  auto entries = AuditLog::Read(*db_, {1, "", "", "", 1});
  ASSERT_TRUE(entries.ok());
  AuditEntry forged = entries->front();
  forged.target = "person--forged";
  forged.hash = AuditLog::EntryHash(forged);
  ASSERT_TRUE(db_->Execute("UPDATE audit_log SET target = ?, hash = ? WHERE seq = 2",
                           {forged.target, forged.hash})
                  .ok());
  AuditVerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 3);
}

TEST_F(AuditLogTest, DetectsDeletedEntry) {
  Exec("DELETE FROM audit_log WHERE seq = 4");
  AuditVerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 5);
  EXPECT_NE(report.problem.find("missing"), std::string::npos) << report.problem;
}

TEST_F(AuditLogTest, DetectsDeletedFirstEntry) {
  Exec("DELETE FROM audit_log WHERE seq = 1");
  EXPECT_EQ(Verify().first_bad_seq, 2);
}

TEST_F(AuditLogTest, DetectsDeletedTail) {
  Exec("DELETE FROM audit_log WHERE seq >= 5");
  AuditVerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 5);
  EXPECT_NE(report.problem.find("deleted from the end"), std::string::npos) << report.problem;
}

TEST_F(AuditLogTest, DetectsInsertedEntry) {
  // Renumber to make room, then insert a well-formed entry in the gap.
  Exec("UPDATE audit_log SET seq = seq + 100 WHERE seq >= 4");
  Exec("UPDATE audit_log SET seq = seq - 99 WHERE seq >= 104");
  AuditEntry inserted;
  inserted.seq = 4;
  inserted.at = "2026-01-01T00:00:00.000Z";
  inserted.actor = "intruder";
  inserted.action = "record.read";
  inserted.outcome = "ok";
  inserted.detail_json = "{}";
  auto third = AuditLog::Read(*db_, {2, "", "", "", 1});
  ASSERT_TRUE(third.ok());
  inserted.prev_hash = third->front().hash;
  inserted.hash = AuditLog::EntryHash(inserted);
  ASSERT_TRUE(db_->Execute("INSERT INTO audit_log (seq, at, actor, role, service, action, target, "
                           "outcome, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                           {inserted.seq, inserted.at, inserted.actor, std::string(), std::string(),
                            inserted.action, std::string(), inserted.outcome, inserted.detail_json,
                            inserted.prev_hash, inserted.hash})
                  .ok());
  AuditVerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 5) << report.problem;  // the old entry 4, now 5
}

TEST_F(AuditLogTest, DetectsAppendedEntryNotThroughTheModule) {
  auto last = AuditLog::Read(*db_, {5, "", "", "", 1});
  ASSERT_TRUE(last.ok());
  AuditEntry appended;
  appended.seq = 7;
  appended.at = "2026-01-01T00:00:00.000Z";
  appended.actor = "intruder";
  appended.action = "user.add";
  appended.outcome = "ok";
  appended.detail_json = "{}";
  appended.prev_hash = last->front().hash;
  appended.hash = AuditLog::EntryHash(appended);
  ASSERT_TRUE(
      db_->Execute("INSERT INTO audit_log (seq, at, actor, role, service, action, target, "
                   "outcome, detail, prev_hash, hash) VALUES (?,?,?,'','',?,'',?,?,?,?)",
                   {appended.seq, appended.at, appended.actor, appended.action, appended.outcome,
                    appended.detail_json, appended.prev_hash, appended.hash})
          .ok());
  AuditVerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 7) << report.problem;
}

TEST_F(AuditLogTest, DetectsReorderedEntries) {
  // Swap the contents of entries 2 and 3 (each keeps its own hash).
  Exec("UPDATE audit_log SET seq = 1000 WHERE seq = 2");
  Exec("UPDATE audit_log SET seq = 2 WHERE seq = 3");
  Exec("UPDATE audit_log SET seq = 3 WHERE seq = 1000");
  AuditVerifyReport report = Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 2) << report.problem;
}

TEST_F(AuditLogTest, ReadFiltersAndPages) {
  auto page = AuditLog::Read(*db_, {2, "", "", "", 2});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].seq, 3);
  auto by_actor = AuditLog::Read(*db_, {0, "", "nobody", "", 10});
  ASSERT_TRUE(by_actor.ok());
  EXPECT_TRUE(by_actor->empty());
  // SQL-injection-shaped filter values are plain values.
  auto injected = AuditLog::Read(*db_, {0, "", "' OR '1'='1", "", 10});
  ASSERT_TRUE(injected.ok());
  EXPECT_TRUE(injected->empty());
}

// Appenders in several processes at once (each with its own connection, as several servers
// have) stay one chain: no entry lost, none doubled, every link verifies; `entente audit verify`
// agrees and still catches an entry altered afterwards.
TEST_F(AuditLogTest, ConcurrentProcessesKeepOneChain) {
  constexpr int kProcesses = 4, kEach = 40;
  InProcesses(kProcesses, [this](int p) {
    auto db = Database::Open(target_);
    if (!db.ok()) return 10;
    for (int i = 0; i < kEach; ++i) {
      auto entry = AuditLog::AppendAlone(**db, {"worker-" + std::to_string(p),
                                                "analyst",
                                                "DGSN-DGST",
                                                "search",
                                                "query-" + std::to_string(i),
                                                "ok",
                                                {{"n", std::to_string(i)}}});
      if (!entry.ok()) {
        std::fprintf(stderr, "append failed: %s\n", entry.status().ToString().c_str());
        return 11;
      }
    }
    return 0;
  });
  AuditVerifyReport report = Verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, 6 + kProcesses * kEach);
  EXPECT_EQ(report.head_seq, 6 + kProcesses * kEach);
  for (int p = 0; p < kProcesses; ++p) {
    auto mine = AuditLog::Read(*db_, {0, "", "worker-" + std::to_string(p), "", 1000});
    ASSERT_TRUE(mine.ok());
    EXPECT_EQ(static_cast<int>(mine->size()), kEach);
  }
  std::string out;
  EXPECT_EQ(::entente::testing::RunEntente({"--db", target_, "audit", "verify"}, &out), 0) << out;
  Exec("UPDATE audit_log SET actor = 'mallory' WHERE seq = 77");
  EXPECT_EQ(::entente::testing::RunEntente({"--db", target_, "audit", "verify"}, &out), 6) << out;
  EXPECT_NE(out.find("entry 77"), std::string::npos) << out;
}

// Several processes starting at once over a fresh store (servers behind a balancer) migrate it
// once, without one of them failing on a table the other just made.
TEST(AuditMigration, ConcurrentFirstStartsMigrateOnce) {
  std::string dir = entente::testing::MakeTempDir("entente-audit-migrate");
  std::string target = ::entente::testing::StoreTarget(dir + "/fresh.db");
  constexpr int kProcesses = 5;
  InProcesses(kProcesses, [&target](int) {
    auto db = Database::Open(target);
    if (!db.ok()) return 10;
    Status migrated = AuditLog::Migrate(**db);
    if (!migrated.ok()) {
      std::fprintf(stderr, "migrate failed: %s\n", migrated.ToString().c_str());
      return 11;
    }
    return AuditLog::AppendAlone(**db, {"boot", "local", "x", "start", "", "ok", {}}).ok() ? 0 : 12;
  });
  auto db = Database::Open(target);
  ASSERT_TRUE(db.ok());
  auto versions = (*db)->Query("SELECT COUNT(*) FROM schema_migrations WHERE component = 'audit'");
  ASSERT_TRUE(versions.ok()) << versions.status().ToString();
  EXPECT_EQ((*versions)[0].Int(0), 1);
  auto report = AuditLog::Verify(**db);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->entries, kProcesses);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace entente::server
