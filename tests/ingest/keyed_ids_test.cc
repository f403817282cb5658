// Record ids keyed with the node's record-id key: nobody without the key computes them, two
// nodes give one row two ids, and a store written with the legacy unkeyed ids keeps them when
// the same rows are imported again (ingest/record_ids.h).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "common/ids.h"
#include "ingest/record_ids.h"
#include "ingest_test_util.h"

namespace entente::ingest {
namespace {

using testing::Options;
using testing::TempDir;
using testing::TestStore;

RecordIdKey KeyOf(unsigned char fill) {
  SecretBytes bytes;
  bytes.fill(fill);
  return RecordIdKey::FromBytes(bytes);
}

const std::string kCsv = "id,name,type\nW-1,Karim Haddad,person\nW-2,Atlas Trading,organization\n";

std::string Line(const std::string& json) { return json + "\n"; }
const std::string kPerson1 =
    R"({"id":"p1","schema":"Person","properties":{"name":["Karim Haddad"]}})";
const std::string kPerson1Changed =
    R"({"id":"p1","schema":"Person","properties":{"name":["Karim Haddad"],"alias":["Abu Karim"]}})";
const std::string kCompany =
    R"({"id":"c1","schema":"Company","properties":{"name":["Atlas Trading SARL"]}})";
const std::string kOwns1 =
    R"({"id":"o1","schema":"Ownership","properties":{"owner":["p1"],"asset":["c1"]}})";
const std::string kPerson2 =
    R"({"id":"p2","schema":"Person","properties":{"name":["Samir Benali"]}})";
const std::string kOwns2 =
    R"({"id":"o2","schema":"Ownership","properties":{"owner":["p2"],"asset":["c1"]}})";

TEST(KeyedIds, AnIdCannotBeComputedWithoutTheKeyAndTwoKeysGiveTwoIds) {
  TempDir dir;
  std::string csv = dir.Write("list.csv", kCsv);
  std::string ids[2];
  for (int node = 0; node < 2; ++node) {
    TestStore db(dir.File("node" + std::to_string(node) + ".db"));
    ImportOptions options = Options("csv", csv);
    options.defaults.id_key = KeyOf(node == 0 ? 0x11 : 0x22);
    auto first = RunImport(*db.store, options);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_EQ(first->created, 2);
    ids[node] = KeyedId(*options.defaults.id_key, "person", "DGSI", "csv:list.csv", "W-1");
    EXPECT_TRUE(db.store->Get(ids[node]).ok()) << ids[node];
    EXPECT_TRUE(IsValidStixId(ids[node])) << ids[node];
    // What anyone can compute from the source name and the row's id names nothing here.
    EXPECT_EQ(db.store->Get(DeterministicId("person", "csv:list.csv", "W-1")).status().code(),
              StatusCode::kNotFound);
    auto again = RunImport(*db.store, options);  // the same key: the same ids, nothing new
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(again->unchanged, 2);
    EXPECT_EQ(db.Records(), 2);
  }
  EXPECT_NE(ids[0], ids[1]);
}

// The same rows, imported first by a node without the key (the store of an older version) and
// then with it: the old records get the new versions, relationship ends point at them, and only
// rows that are new get keyed ids.
void ReimportOverLegacyIds(int64_t commit_every, bool guarded) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  ImportOptions legacy =
      Options("ftm", dir.Write("old.ftm.json", Line(kPerson1) + Line(kCompany) + Line(kOwns1)));
  auto old = RunImport(*db.store, legacy);
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  ASSERT_EQ(old->created, 3);
  std::string person1 = DeterministicId("person", "opensanctions", "p1");
  std::string company = DeterministicId("organization", "opensanctions", "c1");
  ASSERT_TRUE(db.store->Get(person1).ok());

  // Relationships first: their ends are renamed whether or not the entity came before.
  ImportOptions keyed =
      Options("ftm", dir.Write("new.ftm.json", Line(kOwns2) + Line(kOwns1) + Line(kPerson1Changed) +
                                                   Line(kCompany) + Line(kPerson2)));
  keyed.defaults.id_key = KeyOf(0x5a);
  keyed.commit_every = commit_every;
  if (guarded) keyed.write_guard = [](const RecordMeta*, const Record&) { return Status::Ok(); };
  auto report = RunImport(*db.store, keyed);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->created, 2);  // p2 and o2
  EXPECT_EQ(report->updated, 1);  // p1
  EXPECT_EQ(report->unchanged, 2);
  EXPECT_EQ(db.Records(), 5);

  auto p1 = db.store->GetEntity(person1);
  ASSERT_TRUE(p1.ok()) << p1.status().ToString();
  EXPECT_EQ(p1->meta.version, 2);
  EXPECT_EQ(p1->names.size(), 2u);
  EXPECT_EQ(db.store->Get(KeyedId(*keyed.defaults.id_key, "person", "DGSI", "opensanctions", "p1"))
                .status()
                .code(),
            StatusCode::kNotFound);
  std::string person2 = KeyedId(*keyed.defaults.id_key, "person", "DGSI", "opensanctions", "p2");
  ASSERT_TRUE(db.store->Get(person2).ok());
  EXPECT_EQ(db.store->Get(DeterministicId("person", "opensanctions", "p2")).status().code(),
            StatusCode::kNotFound);
  auto owns2 = db.store->RelationshipsOf(person2);
  ASSERT_TRUE(owns2.ok()) << owns2.status().ToString();
  ASSERT_EQ(owns2->size(), 1u);
  EXPECT_EQ((*owns2)[0].target_id, company);
  auto company_links = db.store->RelationshipsOf(company);
  ASSERT_TRUE(company_links.ok());
  EXPECT_EQ(company_links->size(), 2u);

  auto again = RunImport(*db.store, keyed);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->unchanged, 5);
  EXPECT_EQ(db.Records(), 5);
}

TEST(KeyedIds, ReimportOverLegacyIdsUpdatesTheOldRecordsInOneTransaction) {
  ReimportOverLegacyIds(0, false);
}

TEST(KeyedIds, ReimportOverLegacyIdsUpdatesTheOldRecordsInBatchesWithAGuard) {
  ReimportOverLegacyIds(2, true);
}

TEST(KeyedIds, TheKeyFileIsMadeOnceWithMode0600AndABadOneIsNamed) {
  TempDir dir;
  std::string db = dir.File("store.db");
  EXPECT_EQ(DefaultRecordIdKeyPath(db), db + ".id-key");
  auto made = LoadRecordIdKey(db, "");
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  struct stat info;
  ASSERT_EQ(stat((db + ".id-key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  auto read_back = LoadRecordIdKey(db, "");
  ASSERT_TRUE(read_back.ok());
  EXPECT_EQ(made->Fingerprint(), read_back->Fingerprint());
  EXPECT_EQ(KeyedId(*made, "person", "A", "s", "1"), KeyedId(*read_back, "person", "A", "s", "1"));
  // The owning service is part of the input: another service's row is another record.
  EXPECT_NE(KeyedId(*made, "person", "A", "s", "1"), KeyedId(*made, "person", "B", "s", "1"));
  auto other = LoadRecordIdKey(db, dir.File("other.id-key"));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(made->Fingerprint(), other->Fingerprint());

  std::string bad = dir.Write("bad.id-key", "not-hex\n");
  auto refused = LoadRecordIdKey(db, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kCorruption);
  EXPECT_NE(refused.status().message().find(bad), std::string::npos) << refused.status().message();
}

// A key file readable by others is refused, naming it and saying what to do.
TEST(KeyedIds, AKeyFileOthersCanReadIsRefused) {
  TempDir dir;
  std::string path = dir.File("open.id-key");
  ASSERT_TRUE(RecordIdKey::LoadOrCreate(path).ok());
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  auto refused = RecordIdKey::LoadOrCreate(path);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("chmod 600 " + path), std::string::npos)
      << refused.status().message();
}

// A PostgreSQL store has no key file by default: one relative to the working directory would
// give every process started elsewhere a key of its own.
TEST(KeyedIds, APostgresStoreNeedsAConfiguredKeyFile) {
  const char* env = std::getenv("ENTENTE_ID_KEY_FILE");
  std::string saved = env ? env : "";
  unsetenv("ENTENTE_ID_KEY_FILE");
  std::string target = "postgresql://localhost/entente";
  EXPECT_EQ(DefaultRecordIdKeyPath(target), "");
  auto refused = LoadRecordIdKey(target, "");
  if (!saved.empty()) setenv("ENTENTE_ID_KEY_FILE", saved.c_str(), 1);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("ENTENTE_ID_KEY_FILE"), std::string::npos)
      << refused.status().message();
  TempDir dir;
  auto configured = LoadRecordIdKey(target, dir.File("pg.id-key"));
  EXPECT_TRUE(configured.ok()) << configured.status().ToString();
}

// A store whose key file was lost (a restore without it): the next import would make a new key
// and second copies of every record. It is refused, naming the file; --new-id-key starts the
// new key knowingly, and the report says so.
TEST(KeyedIds, ALostKeyFileIsRefusedUntilANewKeyIsAskedFor) {
  TempDir dir;
  std::string csv = dir.Write("list.csv", kCsv);
  std::string db_path = dir.File("store.db");
  TestStore db(db_path);
  std::string key_path = dir.File("node.id-key");
  ImportOptions options = Options("csv", csv);
  auto first_key = LoadRecordIdKey(db_path, key_path);
  ASSERT_TRUE(first_key.ok()) << first_key.status().ToString();
  options.defaults.id_key = *first_key;
  auto first = RunImport(*db.store, options);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->new_id_key_fingerprint.empty());

  ASSERT_EQ(std::remove(key_path.c_str()), 0);
  auto second_key = LoadRecordIdKey(db_path, key_path);  // a fresh file: another key
  ASSERT_TRUE(second_key.ok()) << second_key.status().ToString();
  ASSERT_NE(second_key->Fingerprint(), first_key->Fingerprint());
  options.defaults.id_key = *second_key;
  auto refused = RunImport(*db.store, options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kConflict);
  const std::string message = refused.status().message();
  EXPECT_NE(message.find(key_path), std::string::npos) << message;
  EXPECT_NE(message.find(first_key->Fingerprint()), std::string::npos) << message;
  EXPECT_NE(message.find("--new-id-key"), std::string::npos) << message;
  EXPECT_NE(message.find("nothing was written"), std::string::npos) << message;
  EXPECT_EQ(db.Records(), 2);

  options.new_id_key = true;
  auto started = RunImport(*db.store, options);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  EXPECT_EQ(started->new_id_key_fingerprint, second_key->Fingerprint());
  EXPECT_EQ(started->created, 2);  // what the flag warns of: the rows come in again
  options.new_id_key = false;
  auto known = RunImport(*db.store, options);  // the new key is known now
  ASSERT_TRUE(known.ok()) << known.status().ToString();
  EXPECT_TRUE(known->new_id_key_fingerprint.empty());
  EXPECT_EQ(known->unchanged, 2);
}

}  // namespace
}  // namespace entente::ingest
