// The bulk write path (Writer::PutBatch) and the v2 schema: the same outcomes as Put() one by
// one, duplicate ids inside a batch, hashes written by earlier store versions, and a session-1
// database upgraded in place.
#include <gtest/gtest.h>

#include "common/ids.h"
#include "model/codec.h"
#include "store/migrations.h"
#include "store/record_store.h"
#include "bulk_write_cases.h"
#include "test_store.h"

namespace entente {
namespace {

using testing::SamplePerson;
using testing::TempDir;

std::unique_ptr<Database> OpenDb(const TempDir& dir, const std::string& name) {
  auto db = Database::Open(dir.File(name));
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}

// n people with 0..3 extra aliases each, so name and row counts cross the chunk sizes.
std::vector<Record> People(int n, const std::string& tag) {
  std::vector<Record> out;
  for (int i = 0; i < n; ++i) {
    Entity e = SamplePerson(tag + std::to_string(i), "Person " + tag + std::to_string(i));
    for (int a = 0; a < i % 4; ++a)
      e.names.push_back(
          {"Alias" + std::to_string(a) + " of " + std::to_string(i), NameKind::kAlias, "Latn"});
    out.push_back(std::move(e));
  }
  return out;
}

TEST(InsertRows, KeepsEveryValueExactly) {
  TempDir dir;
  auto db = OpenDb(dir, "rows.db");
  ASSERT_NE(db, nullptr);
  testing::ExpectInsertRowsKeepsEveryValue(*db);
}

TEST(InsertRows, RefusesAnExistingKeyAndABadRowLeavingNothing) {
  TempDir dir;
  auto db = OpenDb(dir, "rows.db");
  ASSERT_NE(db, nullptr);
  testing::ExpectInsertRowsRefusesAnExistingKeyAndABadRow(*db);
}

TEST(PutBatch, BatchesMixingNewAndStoredRecordsOnAFreshAndAUsedStore) {
  TempDir dir;
  auto db = OpenDb(dir, "mixed.db");
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(RecordStore::Migrate(*db).ok());
  RecordStore store(db.get());
  testing::ExpectBatchesMixingNewAndStoredRecords(store);
}

TEST(PutBatch, SameResultAsPutOneByOne) {
  TempDir dir;
  auto one_db = OpenDb(dir, "one.db");
  auto batch_db = OpenDb(dir, "batch.db");
  ASSERT_TRUE(RecordStore::Migrate(*one_db).ok());
  ASSERT_TRUE(RecordStore::Migrate(*batch_db).ok());
  RecordStore one(one_db.get()), batch(batch_db.get());
  std::vector<Record> records = People(300, "p");

  auto w1 = one.BeginWrite();
  ASSERT_TRUE(w1.ok());
  for (const Record& r : records) ASSERT_TRUE((*w1)->Put(r).ok());
  ASSERT_TRUE((*w1)->Commit().ok());
  auto w2 = batch.BeginWrite();
  ASSERT_TRUE(w2.ok());
  std::vector<PutOutcome> outcomes;
  ASSERT_TRUE((*w2)->PutBatch(records, &outcomes).ok());
  ASSERT_TRUE((*w2)->Commit().ok());

  ASSERT_EQ(outcomes.size(), records.size());
  for (size_t i = 0; i < outcomes.size(); ++i) {
    EXPECT_EQ(outcomes[i].effect, PutOutcome::Effect::kCreated);
    EXPECT_EQ(outcomes[i].change_seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(outcomes[i].version, 1);
  }
  EXPECT_EQ(one.MaxChangeSeq(), batch.MaxChangeSeq());
  for (const Record& r : records) {
    auto a = one.GetEntity(MetaOf(r).id);
    auto b = batch.GetEntity(MetaOf(r).id);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->names, b->names);
    EXPECT_EQ(a->meta.change_seq, b->meta.change_seq);
  }
  auto hits = batch.SearchNames("alias2 of 299", {}, 10);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front().meta.id, MetaOf(records[299]).id);
}

TEST(PutBatch, ReimportIsUnchangedAndChangesMakeVersions) {
  TempDir dir;
  auto db = OpenDb(dir, "s.db");
  ASSERT_TRUE(RecordStore::Migrate(*db).ok());
  RecordStore store(db.get());
  std::vector<Record> records = People(130, "q");
  ASSERT_TRUE(store.PutAll(records).ok());
  auto again = store.PutAll(records);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 130);
  EXPECT_EQ(store.MaxChangeSeq(), 130);

  std::get<Entity>(records[5]).names[0].full = "Renamed Person";
  MetaOf(records[7]).revoked = true;
  auto changed = store.PutAll(records);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->updated, 1);
  EXPECT_EQ(changed->revoked, 1);
  EXPECT_EQ(changed->unchanged, 128);
  auto renamed = store.SearchNames("renamed person", {}, 10);
  ASSERT_TRUE(renamed.ok());
  ASSERT_EQ(renamed->size(), 1u);
  EXPECT_EQ(renamed->front().meta.version, 2);
  auto old_name = store.SearchNames("person q5", {}, 10);
  ASSERT_TRUE(old_name.ok());
  for (const Entity& hit : *old_name)  // "person q5" also finds q50..q59
    EXPECT_NE(hit.meta.id, MetaOf(records[5]).id) << "the old name should no longer be found";
  auto history = store.History(MetaOf(records[5]).id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(MetaOf((*history)[1]).created, MetaOf((*history)[0]).created);
}

TEST(PutBatch, SameIdTwiceInOneBatchActsInOrder) {
  TempDir dir;
  auto db = OpenDb(dir, "s.db");
  ASSERT_TRUE(RecordStore::Migrate(*db).ok());
  RecordStore store(db.get());
  Entity first = SamplePerson("dup", "First Name");
  Entity second = first;
  second.names[0].full = "Second Name";
  auto w = store.BeginWrite();
  ASSERT_TRUE(w.ok());
  std::vector<PutOutcome> outcomes;
  ASSERT_TRUE((*w)->PutBatch(std::vector<Record>{first, second, first}, &outcomes).ok());
  ASSERT_TRUE((*w)->Commit().ok());
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].effect, PutOutcome::Effect::kCreated);
  EXPECT_EQ(outcomes[1].effect, PutOutcome::Effect::kUpdated);
  EXPECT_EQ(outcomes[2].effect, PutOutcome::Effect::kUpdated);
  EXPECT_EQ(outcomes[2].version, 3);
  auto got = store.GetEntity(first.meta.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->names[0].full, "First Name");
}

TEST(PutBatch, InvalidRecordWritesNothingAndNamesIt) {
  TempDir dir;
  auto db = OpenDb(dir, "s.db");
  ASSERT_TRUE(RecordStore::Migrate(*db).ok());
  RecordStore store(db.get());
  std::vector<Record> records = People(10, "v");
  std::get<Entity>(records[6]).nationalities = {"ZZ"};
  auto w = store.BeginWrite();
  ASSERT_TRUE(w.ok());
  Status s = (*w)->PutBatch(records, nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("record 7"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(MetaOf(records[6]).id), std::string::npos) << s.message();
  // The Writer stays usable after a validation error.
  ASSERT_TRUE((*w)->PutBatch(People(3, "ok"), nullptr).ok());
  ASSERT_TRUE((*w)->Commit().ok());
  EXPECT_EQ(store.MaxChangeSeq(), 3);
}

TEST(ChangesSince, LimitAndResumeMatchForEach) {
  TempDir dir;
  auto db = OpenDb(dir, "s.db");
  ASSERT_TRUE(RecordStore::Migrate(*db).ok());
  RecordStore store(db.get());
  ASSERT_TRUE(store.PutAll(People(25, "c")).ok());
  std::vector<int64_t> streamed;
  ASSERT_TRUE(store
                  .ForEachChangeSince(10,
                                      [&](const Change& c) {
                                        streamed.push_back(c.seq);
                                        return true;
                                      })
                  .ok());
  ASSERT_EQ(streamed.size(), 15u);
  auto page = store.ChangesSince(10, 6);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 6u);
  for (size_t i = 0; i < page->size(); ++i) EXPECT_EQ((*page)[i].seq, streamed[i]);
  EXPECT_EQ(MetaOf(page->front().record).change_seq, 11);
  auto none = store.ChangesSince(25, 100);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

// The schema and content hash of the session-1 store (records v1), written by hand.
const char* kV1Schema = R"sql(
CREATE TABLE records (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, version INTEGER NOT NULL, change_seq BIGINT NOT NULL,
  content_hash TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0,
  service TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '',
  source_record_id TEXT NOT NULL DEFAULT '', category TEXT NOT NULL DEFAULT 'other',
  tlp INTEGER NOT NULL DEFAULT 2, source_id TEXT, target_id TEXT,
  created TEXT NOT NULL, modified TEXT NOT NULL);
CREATE INDEX records_by_source ON records (source, source_record_id);
CREATE INDEX records_by_rel_source ON records (source_id);
CREATE INDEX records_by_rel_target ON records (target_id);
CREATE INDEX records_by_kind ON records (kind);
CREATE TABLE record_versions (change_seq BIGINT PRIMARY KEY, id TEXT NOT NULL,
  version INTEGER NOT NULL, change_kind TEXT NOT NULL, body TEXT NOT NULL);
CREATE UNIQUE INDEX record_versions_by_id ON record_versions (id, version);
CREATE TABLE record_names (id TEXT NOT NULL, name TEXT NOT NULL);
CREATE INDEX record_names_by_id ON record_names (id);
CREATE TABLE change_counter (singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  value BIGINT NOT NULL);
INSERT INTO change_counter (singleton, value) VALUES (1, 0);
)sql";

std::string V1Hash(Entity e) {
  e.meta.version = 0;
  e.meta.created.clear();
  e.meta.modified.clear();
  e.meta.change_seq = 0;
  e.meta.provenance.first_seen.clear();
  e.meta.provenance.last_seen.clear();
  return Blake2bHex(EntityToJson(e));
}

TEST(StoreUpgrade, SessionOneDatabaseKeepsItsDataAndStaysIdempotent) {
  TempDir dir;
  auto db = OpenDb(dir, "v1.db");
  ASSERT_TRUE(ApplyMigrations(*db, "records", {kV1Schema}).ok());
  Entity e = SamplePerson("old", "Mohammed EL IDRISSI");
  e.names.push_back({"Abu Old", NameKind::kAlias, "Latn"});
  Entity stored = e;
  stored.meta.version = 1;
  stored.meta.change_seq = 1;
  stored.meta.created = stored.meta.modified = "2025-01-01T00:00:00Z";
  stored.meta.provenance.first_seen = stored.meta.provenance.last_seen = "2025-01-01T00:00:00Z";
  ASSERT_TRUE(db->Execute("INSERT INTO records (id, kind, version, change_seq, content_hash,"
                          " service, source, source_record_id, category, tlp, created, modified)"
                          " VALUES (?, 'person', 1, 1, ?, 'DGSN-DGST', 'test', 'old', 'terrorism',"
                          " 2, ?, ?)",
                          {e.meta.id, V1Hash(e), stored.meta.created, stored.meta.modified})
                  .ok());
  ASSERT_TRUE(db->Execute("INSERT INTO record_versions VALUES (1, ?, 1, 'created', ?)",
                          {e.meta.id, EntityToJson(stored)})
                  .ok());
  for (const char* name : {"mohammed el idrissi", "abu old"})
    ASSERT_TRUE(
        db->Execute("INSERT INTO record_names VALUES (?, ?)", {e.meta.id, std::string(name)}).ok());
  ASSERT_TRUE(db->Execute("UPDATE change_counter SET value = 1").ok());

  ASSERT_TRUE(RecordStore::Migrate(*db).ok());
  auto version = SchemaVersion(*db, "records");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 2);
  RecordStore store(db.get());
  auto hits = store.SearchNames("abu old", {}, 10);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front(), stored);

  // Re-importing the same record changes nothing, and its hash moves to the new form.
  auto again = store.PutAll({e});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 1);
  EXPECT_EQ(store.MaxChangeSeq(), 1);
  auto hash = db->Query("SELECT content_hash FROM records WHERE id = ?", {e.meta.id});
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ((*hash)[0].Text(0).rfind("c2:", 0), 0u);
  EXPECT_EQ(store.PutAll({e})->unchanged, 1);

  // A real change after the upgrade makes version 2 with the change_seq after the old one.
  e.names.push_back({"New Alias", NameKind::kAlias, "Latn"});
  auto changed = store.PutAll({e});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->updated, 1);
  auto history = store.History(e.meta.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(MetaOf((*history)[1]).change_seq, 2);
  EXPECT_EQ(MetaOf((*history)[1]).created, "2025-01-01T00:00:00Z");
}

}  // namespace
}  // namespace entente
