// The audit chain: appends in the caller's transaction, and Verify() names the first entry
// that was altered, deleted, inserted or reordered, including a cut at the end.
#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include <fstream>

#include "../temp_dir.h"

namespace entente::server {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = entente::testing::MakeTempDir("entente-audit-test");
    auto db = Database::Open(dir_ + "/audit.db");
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

}  // namespace
}  // namespace entente::server
