// The record store's behaviour on PostgreSQL: the same contract as on SQLite.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "../pg_cluster.h"
#include "../temp_dir.h"
#include "store/change_signal.h"
#include "store/migrations.h"
#include "store/postgres/postgres_database.h"
#include "store/record_store.h"
#include "bulk_write_cases.h"
#include "test_store.h"

namespace entente {
namespace {

using testing::PgCluster;
using testing::SamplePerson;

class PostgresStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new PgCluster();
    if (!cluster_->Start(&skip_reason_)) return;
    ready_ = true;
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    if (!ready_) GTEST_SKIP() << "PostgreSQL not available: " << skip_reason_;
    auto db = Database::Open(cluster_->ConnInfo());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->ExecuteScript("DROP SCHEMA public CASCADE; CREATE SCHEMA public;").ok());
    ASSERT_TRUE(RecordStore::Migrate(*db_).ok());
    store_ = std::make_unique<RecordStore>(db_.get());
  }
  static PgCluster* cluster_;
  static bool ready_;
  static std::string skip_reason_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<RecordStore> store_;
};

PgCluster* PostgresStoreTest::cluster_ = nullptr;
bool PostgresStoreTest::ready_ = false;
std::string PostgresStoreTest::skip_reason_;

TEST_F(PostgresStoreTest, VersionsAndChangeFeed) {
  Entity e = SamplePerson("1", "Youssef Benali");
  auto first = store_->PutAll({e});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->created, 1);
  EXPECT_EQ(store_->PutAll({e})->unchanged, 1);
  e.names.push_back({"Yusuf Bin Ali", NameKind::kAlias, "Latn"});
  EXPECT_EQ(store_->PutAll({e})->updated, 1);
  auto feed = store_->ChangesSince(0, 10);
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  ASSERT_EQ(feed->size(), 2u);
  EXPECT_EQ((*feed)[1].seq, 2);
  EXPECT_EQ((*feed)[1].kind, ChangeKind::kUpdated);
  auto got = store_->GetEntity(e.meta.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->names.size(), 2u);
  EXPECT_EQ(got->meta.version, 2);
}

TEST_F(PostgresStoreTest, FailedBatchLeavesNothing) {
  Entity bad = SamplePerson("2", "Bad");
  bad.nationalities = {"ZZ"};
  EXPECT_FALSE(store_->PutAll({SamplePerson("1", "Good"), bad}).ok());
  EXPECT_EQ(store_->MaxChangeSeq(), 0);
  auto stats = store_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->records, 0);
}

TEST_F(PostgresStoreTest, InsertRowsCopiesEveryValueExactly) {
  testing::ExpectInsertRowsKeepsEveryValue(*db_);
}

TEST_F(PostgresStoreTest, InsertRowsRefusesAnExistingKeyAndABadRowLeavingNothing) {
  testing::ExpectInsertRowsRefusesAnExistingKeyAndABadRow(*db_);
}

TEST_F(PostgresStoreTest, BatchesMixingNewAndStoredRecordsOnAFreshAndAUsedStore) {
  testing::ExpectBatchesMixingNewAndStoredRecords(*store_);
}

TEST_F(PostgresStoreTest, SearchAndRelationships) {
  Entity a = SamplePerson("a", "Ahmed Tazi");
  Entity b = SamplePerson("b", "Rachid Alaoui");
  Relationship r;
  r.meta = a.meta;
  r.meta.id = DeterministicId("relationship", "test", "a-b");
  r.type = RelationshipType::kTravelledWith;
  r.source_id = a.meta.id;
  r.target_id = b.meta.id;
  ASSERT_TRUE(store_->PutAll({a, b, r}).ok());
  auto found = store_->SearchNames("TAZI", {}, 10);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 1u);
  auto rels = store_->RelationshipsOf(b.meta.id);
  ASSERT_TRUE(rels.ok());
  EXPECT_EQ(rels->size(), 1u);
}

// PostgreSQL restarted under an open connection: the statement that meets the dead connection
// is Unavailable (a 503 for the server), never wrong data; once PostgreSQL is back the same
// Database works again without being reopened. A transaction that was open is lost, not resumed.
TEST_F(PostgresStoreTest, ReconnectsAfterPostgresRestarts) {
  ASSERT_TRUE(store_->PutAll({SamplePerson("1", "Nadia Berrada")}).ok());
  Transaction open_tx(db_.get());
  ASSERT_TRUE(open_tx.status().ok());
  cluster_->Down();
  auto during = db_->Query("SELECT COUNT(*) FROM records");
  ASSERT_FALSE(during.ok());
  EXPECT_EQ(during.status().code(), StatusCode::kUnavailable) << during.status().ToString();
  EXPECT_FALSE(open_tx.Commit().ok());
  // Down: a read outside a transaction is Unavailable too.
  auto still_down = db_->Query("SELECT 1");
  ASSERT_FALSE(still_down.ok());
  EXPECT_EQ(still_down.status().code(), StatusCode::kUnavailable);
  ASSERT_TRUE(cluster_->Up());
  auto after = db_->Query("SELECT COUNT(*) FROM records");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ((*after)[0].Int(0), 1);
  // Writes work again on the same connection.
  EXPECT_TRUE(store_->PutAll({SamplePerson("2", "Omar Fassi")}).ok());
  EXPECT_EQ(store_->MaxChangeSeq(), 2);
}

// A table changed under a prepared statement (a newer server migrating while this one runs):
// outside a transaction the statement is prepared afresh and answers instead of failing.
TEST_F(PostgresStoreTest, AStatementPreparedBeforeItsTableChangedIsPreparedAgain) {
  ASSERT_TRUE(db_->ExecuteScript("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);").ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(db_->Query("SELECT * FROM t WHERE a = ?", {int64_t{1}}).ok());
  }
  auto other = Database::Open(cluster_->ConnInfo());
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->ExecuteScript("ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x'").ok());
  auto rows = db_->Query("SELECT * FROM t WHERE a = ?", {int64_t{1}});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  ASSERT_EQ((*rows)[0].values.size(), 2u);
  EXPECT_EQ((*rows)[0].Text(1), "x");
  // And from then on it is prepared again as usual.
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(db_->Query("SELECT * FROM t WHERE a = ?", {int64_t{1}}).ok());
  }
}

using std::chrono::milliseconds;

// A commit that adds to the change feed, by any connection, wakes a listener at once; a
// transaction rolled back does not; the repeats of one transaction wake it once.
TEST_F(PostgresStoreTest, ChangeSignalWakesOnEveryCommitToTheFeedAndOnlyThen) {
  auto signal = ChangeSignal::Listen(cluster_->ConnInfo());
  ASSERT_TRUE(signal.ok()) << signal.status().ToString();
  EXPECT_TRUE((*signal)->wakes());
  EXPECT_FALSE((*signal)->Wait(milliseconds(50)));
  const auto before = std::chrono::steady_clock::now();
  ASSERT_TRUE(store_->PutAll({SamplePerson("1", "Nadia Berrada"), SamplePerson("2", "Omar Fassi")})
                  .ok());
  EXPECT_TRUE((*signal)->Wait(milliseconds(5000)));
  EXPECT_LT(std::chrono::steady_clock::now() - before, milliseconds(2000));
  EXPECT_FALSE((*signal)->Wait(milliseconds(100))) << "one transaction, one wake-up";

  ASSERT_TRUE(db_->BeginWrite().ok());
  ASSERT_TRUE(db_->Execute("INSERT INTO record_versions (change_seq, id, version, change_kind,"
                           " body) VALUES (99, 'x', 1, 'created', '{}')")
                  .ok());
  ASSERT_TRUE(db_->Rollback().ok());
  EXPECT_FALSE((*signal)->Wait(milliseconds(300))) << "a rolled-back change woke the listener";
  // A write that changes nothing adds nothing to the feed and wakes no one.
  ASSERT_EQ(store_->PutAll({SamplePerson("1", "Nadia Berrada")})->unchanged, 1);
  EXPECT_FALSE((*signal)->Wait(milliseconds(300)));
}

// PostgreSQL restarted under a listener: while it is down Wait() times out (and never blocks
// longer); once it is back the listener reconnects by itself, wakes once so that its follower
// catches up on what it may have missed, and is woken by new commits again.
TEST_F(PostgresStoreTest, ChangeSignalReconnectsAfterPostgresRestarts) {
  auto signal = ChangeSignal::Listen(cluster_->ConnInfo());
  ASSERT_TRUE(signal.ok()) << signal.status().ToString();
  cluster_->Down();
  for (int i = 0; i < 3; ++i) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE((*signal)->Wait(milliseconds(100)));
    EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(2000));
  }
  ASSERT_TRUE(cluster_->Up());
  EXPECT_TRUE((*signal)->Wait(milliseconds(100))) << "reconnected: catch up";
  EXPECT_FALSE((*signal)->Wait(milliseconds(50)));
  ASSERT_TRUE(store_->PutAll({SamplePerson("3", "Karim Idrissi")}).ok());
  EXPECT_TRUE((*signal)->Wait(milliseconds(5000)));
}

TEST(PostgresConnect, ChangeSignalOfAnUnreachableServerIsUnavailableWithoutPassword) {
  auto signal = ChangeSignal::Listen("postgresql://u:secret@127.0.0.1:1/x?connect_timeout=2");
  ASSERT_FALSE(signal.ok());
  EXPECT_EQ(signal.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(signal.status().message().find("secret"), std::string::npos);
}

// SQLite has no notifications: the signal never fires, its followers poll.
TEST(SqliteChangeSignal, NeverWakes) {
  const std::string dir = testing::MakeTempDir("entente-signal");
  auto signal = ChangeSignal::Listen(dir + "/store.db");
  ASSERT_TRUE(signal.ok());
  EXPECT_FALSE((*signal)->wakes());
  EXPECT_FALSE((*signal)->Wait(milliseconds(10)));
  std::filesystem::remove_all(dir);
}

TEST(PostgresPlaceholders, RewritesOutsideQuotesOnly) {
  EXPECT_EQ(RewritePlaceholders("SELECT ?, '?', \"a?\" WHERE x = ?"),
            "SELECT $1, '?', \"a?\" WHERE x = $2");
}

TEST(PostgresConnect, UnreachableServerIsUnavailableWithoutPassword) {
  auto db = Database::Open("postgresql://user:secret@127.0.0.1:1/nowhere?connect_timeout=2");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(db.status().message().find("secret"), std::string::npos) << db.status().message();
}

}  // namespace
}  // namespace entente
