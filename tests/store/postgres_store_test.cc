// The record store's behaviour on PostgreSQL: the same contract as on SQLite.
#include <gtest/gtest.h>

#include "pg_cluster.h"
#include "store/migrations.h"
#include "store/postgres/postgres_database.h"
#include "store/record_store.h"
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
