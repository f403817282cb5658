#include "store/record_store.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/migrations.h"
#include "test_store.h"

namespace entente {
namespace {

using testing::SamplePerson;
using testing::TempDir;

class RecordStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.File("store.db"));
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(RecordStore::Migrate(*db_).ok());
    store_ = std::make_unique<RecordStore>(db_.get());
  }
  TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<RecordStore> store_;
};

TEST_F(RecordStoreTest, PutThenGetRoundTrips) {
  Entity e = SamplePerson("1", "Mohamed EL IDRISSI");
  e.birth_dates.push_back(*PartialDate::Parse("1987-03"));
  e.nationalities = {"MA"};
  auto summary = store_->PutAll({e});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->created, 1);
  auto got = store_->GetEntity(e.meta.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->names, e.names);
  EXPECT_EQ(got->birth_dates[0].ToString(), "1987-03");
  EXPECT_EQ(got->meta.version, 1);
  EXPECT_EQ(got->meta.change_seq, 1);
  EXPECT_FALSE(got->meta.created.empty());
}

TEST_F(RecordStoreTest, SameContentTwiceChangesNothing) {
  Entity e = SamplePerson("1", "Youssef Benali");
  ASSERT_TRUE(store_->PutAll({e}).ok());
  auto again = store_->PutAll({e});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 1);
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(store_->MaxChangeSeq(), 1);
}

TEST_F(RecordStoreTest, ChangedContentMakesNewVersionAndKeepsOld) {
  Entity e = SamplePerson("1", "Youssef Benali");
  ASSERT_TRUE(store_->PutAll({e}).ok());
  e.names.push_back({"Yusuf Ben Ali", NameKind::kAlias, "Latn"});
  auto s = store_->PutAll({e});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->updated, 1);
  auto history = store_->History(e.meta.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(std::get<Entity>((*history)[0]).names.size(), 1u);
  EXPECT_EQ(std::get<Entity>((*history)[1]).names.size(), 2u);
  EXPECT_EQ(MetaOf((*history)[1]).version, 2);
}

TEST_F(RecordStoreTest, ChangeFeedIsOrderedAndResumable) {
  std::vector<Record> batch;
  for (int i = 0; i < 10; ++i)
    batch.push_back(SamplePerson(std::to_string(i), "Person " + std::to_string(i)));
  ASSERT_TRUE(store_->PutAll(batch).ok());
  auto w = store_->BeginWrite();
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Revoke(MetaOf(batch[3]).id).ok());
  ASSERT_TRUE((*w)->Commit().ok());

  auto first = store_->ChangesSince(0, 4);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 4u);
  for (size_t i = 0; i < first->size(); ++i) EXPECT_EQ((*first)[i].seq, int64_t(i + 1));
  auto rest = store_->ChangesSince(first->back().seq, 100);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 7u);
  EXPECT_EQ(rest->back().seq, 11);
  EXPECT_EQ(rest->back().kind, ChangeKind::kRevoked);
  EXPECT_TRUE(MetaOf(rest->back().record).revoked);
}

TEST_F(RecordStoreTest, InvalidRecordRollsBackTheWholeBatch) {
  Entity good = SamplePerson("1", "Karim Ziani");
  Entity bad = SamplePerson("2", "Bad Country");
  bad.nationalities = {"XX"};
  auto s = store_->PutAll({good, bad});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("nationality"), std::string::npos) << s.status().message();
  EXPECT_EQ(store_->MaxChangeSeq(), 0);
  EXPECT_FALSE(store_->Get(good.meta.id).ok());
}

TEST_F(RecordStoreTest, RelationshipsOfFindsBothEnds) {
  Entity a = SamplePerson("a", "Ahmed Tazi");
  Entity b = SamplePerson("b", "Rachid Alaoui");
  Relationship r;
  r.meta = a.meta;
  r.meta.id = DeterministicId("relationship", "test", "a-b");
  r.type = RelationshipType::kAssociateOf;
  r.source_id = a.meta.id;
  r.target_id = b.meta.id;
  ASSERT_TRUE(store_->PutAll({a, b, r}).ok());
  auto of_b = store_->RelationshipsOf(b.meta.id);
  ASSERT_TRUE(of_b.ok());
  ASSERT_EQ(of_b->size(), 1u);
  EXPECT_EQ((*of_b)[0].source_id, a.meta.id);
}

TEST_F(RecordStoreTest, SearchIsCaseInsensitiveAndTreatsWildcardsLiterally) {
  ASSERT_TRUE(store_
                  ->PutAll({SamplePerson("1", "Fatima Zahra EL AMRANI"),
                            SamplePerson("2", "100% Real Name")})
                  .ok());
  auto hits = store_->SearchNames("amrani", {}, 10);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  auto pct = store_->SearchNames("%", {}, 10);
  ASSERT_TRUE(pct.ok());
  EXPECT_EQ(pct->size(), 1u);
  auto injection = store_->SearchNames("' OR 1=1 --", {}, 10);
  ASSERT_TRUE(injection.ok());
  EXPECT_TRUE(injection->empty());
}

TEST_F(RecordStoreTest, StatsCountByTypeAndCategory) {
  ASSERT_TRUE(store_->PutAll({SamplePerson("1", "A B"), SamplePerson("2", "C D")}).ok());
  auto stats = store_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->records, 2);
  ASSERT_FALSE(stats->by_type.empty());
  EXPECT_EQ(stats->by_type[0].first, "person");
  EXPECT_EQ(stats->by_category[0].first, "terrorism");
}

TEST_F(RecordStoreTest, SecondWriterWaitsThenFailsCleanly) {
  auto w = store_->BeginWrite();
  ASSERT_TRUE(w.ok());
  auto other = Database::Open(dir_.File("store.db"), /*busy_timeout_ms=*/100);
  ASSERT_TRUE(other.ok());
  RecordStore other_store(other->get());
  auto second = other_store.BeginWrite();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
}

TEST_F(RecordStoreTest, KilledWriterLeavesStoreAsBefore) {
  ASSERT_TRUE(store_->PutAll({SamplePerson("before", "Before Import")}).ok());
  std::string path = dir_.File("store.db");
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  pid_t child = fork();
  if (child == 0) {
    auto db = Database::Open(path);
    RecordStore store(db->get());
    auto w = store.BeginWrite();
    for (int i = 0; i < 5000; ++i)
      (void)(*w)->Put(SamplePerson("child-" + std::to_string(i), "Child Person"));
    (void)!write(pipe_fds[1], "x", 1);
    pause();  // killed here, mid-transaction
    _exit(0);
  }
  char c;
  ASSERT_EQ(read(pipe_fds[0], &c, 1), 1);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  auto db = Database::Open(path);
  ASSERT_TRUE(db.ok());
  RecordStore reopened(db->get());
  EXPECT_EQ(reopened.MaxChangeSeq(), 1);
  auto stats = reopened.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->records, 1);
  EXPECT_TRUE(reopened.PutAll({SamplePerson("after", "After")}).ok());
}

TEST(MigrationsTest, StepsRunOnceAndRecordVersion) {
  TempDir dir;
  auto db = Database::Open(dir.File("m.db"));
  ASSERT_TRUE(db.ok());
  std::vector<std::string> steps = {"CREATE TABLE t (id {{SERIAL_PK}}, v TEXT)",
                                    "ALTER TABLE t ADD COLUMN w TEXT"};
  ASSERT_TRUE(ApplyMigrations(**db, "demo", steps).ok());
  ASSERT_TRUE(ApplyMigrations(**db, "demo", steps).ok());
  auto v = SchemaVersion(**db, "demo");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 2);
  auto bad = ApplyMigrations(**db, "broken", {"CREATE TABLE oops ("});
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("migration broken v1"), std::string::npos);
}

TEST(DatabaseTest, NotADatabaseIsAClearError) {
  TempDir dir;
  std::string path = dir.File("not.db");
  FILE* f = fopen(path.c_str(), "w");
  fputs("this is a text file, not SQLite, with enough bytes to fill a header.......", f);
  fclose(f);
  auto db = Database::Open(path);
  EXPECT_FALSE(db.ok());
}

}  // namespace
}  // namespace entente
