// The FollowTheMoney reader: hand-written entities and links, bad input, and the real
// OpenSanctions fixtures.
#include "ingest/ftm_reader.h"

#include <gtest/gtest.h>

#include "common/ids.h"
#include "ingest_test_util.h"

namespace entente::ingest {
namespace {

using testing::Options;
using testing::TempDir;
using testing::TestStore;

const std::string kFtm =
    R"({"id":"p1","caption":"Karim Haddad","schema":"Person","properties":{"name":["Karim Haddad","كريم حداد"],"alias":["Abu Karim"],"birthDate":["1979-05-02"],"nationality":["ma","suhh"],"gender":["male"],"topics":["crime.terror"],"addressEntity":["a1"]},"first_seen":"2023-04-20T18:00:25","last_seen":"2024-06-01T10:57:03"})"
    "\n"
    R"({"id":"c1","caption":"Atlas Trading SARL","schema":"Company","properties":{"name":["Atlas Trading SARL"],"registrationNumber":["RC-123"],"country":["ma"]}})"
    "\n"
    R"({"id":"a1","caption":"12 Rue X, Casablanca","schema":"Address","properties":{"full":["12 Rue X, Casablanca"],"country":["ma"]}})"
    "\n"
    R"({"id":"o1","schema":"Ownership","properties":{"owner":["p1"],"asset":["c1"],"percentage":["51"],"startDate":["2019-01-01"]}})"
    "\n"
    R"({"id":"s1","schema":"Sanction","properties":{"entity":["c1"],"programId":["SDGT"],"authority":["OFAC"]}})"
    "\n"
    R"({"id":"pp1","schema":"Passport","properties":{"holder":["p1"],"number":["MA123"],"country":["ma"]}})"
    "\n"
    R"({"id":"o2","schema":"Ownership","properties":{"owner":["p1"],"asset":["elsewhere"]}})"
    "\n";

TEST(FtmReader, MapsSchemasToEntitiesAndRelationships) {
  TempDir dir;
  auto records = ReadAll(Options("ftm", dir.Write("e.ftm.json", kFtm)));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 4u);  // person, company, address, ownership
  const Entity& person = std::get<Entity>((*records)[0]);
  EXPECT_EQ(person.type, EntityType::kPerson);
  EXPECT_EQ(person.meta.provenance.source, "opensanctions");
  EXPECT_EQ(person.meta.provenance.source_record_id, "p1");
  EXPECT_EQ(person.meta.provenance.first_seen, "2023-04-20T18:00:25.000Z");
  EXPECT_EQ(person.meta.category, ThreatCategory::kTerrorism);
  ASSERT_EQ(person.names.size(), 3u);
  EXPECT_EQ(person.names[0].full, "Karim Haddad");
  EXPECT_EQ(person.names[1].full, "كريم حداد");
  EXPECT_EQ(person.birth_dates[0].ToString(), "1979-05-02");
  EXPECT_EQ(person.nationalities, (std::vector<std::string>{"MA"}));
  EXPECT_EQ(person.attributes.at("nationality_text"), "suhh");
  EXPECT_EQ(person.gender, Gender::kMale);
  EXPECT_EQ(person.addresses, (std::vector<std::string>{"12 Rue X, Casablanca"}));
  ASSERT_EQ(person.documents.size(), 1u);
  EXPECT_EQ(person.documents[0].number, "MA123");
  EXPECT_EQ(person.documents[0].country, "MA");

  const Entity& company = std::get<Entity>((*records)[1]);
  EXPECT_EQ(company.type, EntityType::kOrganization);
  EXPECT_EQ(company.attributes.at("programs"), "SDGT");
  EXPECT_EQ(company.meta.category, ThreatCategory::kTerrorism);
  EXPECT_EQ(std::get<Entity>((*records)[2]).type, EntityType::kLocation);

  const Relationship& owns = std::get<Relationship>((*records)[3]);
  EXPECT_EQ(owns.type, RelationshipType::kOwns);
  EXPECT_EQ(owns.source_id, person.meta.id);
  EXPECT_EQ(owns.target_id, DeterministicId("organization", "opensanctions", "c1"));
  EXPECT_EQ(owns.start, "2019-01-01");
}

TEST(FtmReader, BadInput) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  auto fail = [&](const std::string& content, const std::string& expected) {
    auto report = RunImport(*db.store, Options("ftm", dir.Write("bad.json", content)));
    ASSERT_FALSE(report.ok()) << expected;
    EXPECT_NE(report.status().message().find(expected), std::string::npos)
        << report.status().message();
    EXPECT_EQ(db.Records(), 0);
  };
  fail("", "bad.json: the file is empty");
  fail("id,name\nA,B\n", "bad.json line 1: not a FollowTheMoney JSON lines file");
  fail(kFtm +
           "{\"id\":\"p2\",\"schema\":\"Person\",\"properties\":{\"name\":[\"X\"],\"birthDate\":["
           "\"2023-02-30\"]}}\n",
       "bad.json line 8, field properties.birthDate: \"2023-02-30\"");
  fail(kFtm + "{\"id\":\"p3\",\"schema\":\"Person\"\n", "bad.json line 8: malformed JSON");
  fail(kFtm + "{\"schema\":\"Person\",\"properties\":{}}\n", "bad.json line 8, field id: missing");
  fail(kFtm + "{\"id\":\"p4\",\"schema\":\"Person\",\"properties\":{\"name\":[\"X\xff\"]}}\n",
       "bad.json line 8: invalid UTF-8");
}

TEST(FtmReader, ImportsTheRealFixtures) {
  if (!testing::SharedExists("data/opensanctions/yente_zala_entities.ftm.json"))
    GTEST_SKIP() << "../shared/data/opensanctions is missing";
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string base = testing::SharedDir() + "/data/opensanctions/";
  ImportOptions options = Options("ftm", base + "yente_zala_entities.ftm.json");
  options.paths.push_back(base + "yente_t1_entities.ftm.json");
  auto report = RunImport(*db.store, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rejected, 0);
  auto stats = db.store->Stats();
  ASSERT_TRUE(stats.ok());
  std::map<std::string, int64_t> by_type(stats->by_type.begin(), stats->by_type.end());
  EXPECT_EQ(by_type["person"], 10);
  EXPECT_EQ(by_type["organization"], 13);  // 11 Company + 2 Organization
  EXPECT_GE(by_type["relationship"], 14);  // Ownership, Family, Directorship links

  // The delta files: ADD and MOD operations.
  auto delta =
      RunImport(*db.store, Options("ftm", base + "yente_t2_20240527194702_entities.delta.json"));
  ASSERT_TRUE(delta.ok()) << delta.status().ToString();
  EXPECT_EQ(delta->rows, 2);
}

// The two real yente delta files applied in order, then a delete: the MOD replaces the stored
// version (a new version in the change feed, which re-screening follows), the DEL revokes.
TEST(FtmReader, AppliesDeltasAsUpdatesAndDeletions) {
  ASSERT_TRUE(
      testing::SharedExists("data/opensanctions/yente_t2_20240528014702_entities.delta.json"));
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string base = testing::SharedDir() + "/data/opensanctions/";
  auto first =
      RunImport(*db.store, Options("ftm", base + "yente_t2_20240527194702_entities.delta.json"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->created, 2);
  std::string aqi = DeterministicId("organization", "opensanctions", "NK-2T3S8Hu29ktYnKSTgQp2wL");
  auto before = db.store->GetEntity(aqi);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->DisplayName(), "AL-QAIDA IN IRAQ");
  int64_t seq_before = db.MaxSeq();

  auto second =
      RunImport(*db.store, Options("ftm", base + "yente_t2_20240528014702_entities.delta.json"));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->created, 1);  // ADD NK-500Poltergeist
  EXPECT_EQ(second->updated, 1);  // MOD of the AQI entity
  auto after = db.store->GetEntity(aqi);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->DisplayName(), "Foobar Foobargroup");
  EXPECT_EQ(after->meta.version, 2);
  EXPECT_GT(after->meta.change_seq, seq_before);

  std::string del = dir.Write("del.delta.json",
                              "{\"op\":\"DEL\",\"entity\":{\"id\":\"NK-2sJaJRaPJcWUfMbHjTtWcL\","
                              "\"schema\":\"Person\"}}\n"
                              "{\"op\":\"DEL\",\"entity\":{\"id\":\"never-imported\"}}\n");
  auto third = RunImport(*db.store, Options("ftm", del));
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(third->revoked, 1);
  EXPECT_EQ(third->revoke_not_found, 1);
  EXPECT_NE(ImportSummaryLine(*third).find("1 revoked by deletes (1 not found)"),
            std::string::npos);
  auto agha =
      db.store->GetEntity(DeterministicId("person", "opensanctions", "NK-2sJaJRaPJcWUfMbHjTtWcL"));
  ASSERT_TRUE(agha.ok());
  EXPECT_TRUE(agha->meta.revoked);
  EXPECT_EQ(db.Records(), 2);  // 3 imported, 1 revoked
  // Deleting again changes nothing.
  auto fourth = RunImport(*db.store, Options("ftm", del));
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(fourth->revoked, 0);
}

TEST(FtmReader, BadDeltaLines) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  auto fail = [&](const std::string& content, const std::string& expected) {
    auto report = RunImport(*db.store, Options("ftm", dir.Write("d.json", content)));
    ASSERT_FALSE(report.ok()) << expected;
    EXPECT_NE(report.status().message().find(expected), std::string::npos)
        << report.status().message();
    EXPECT_EQ(db.Records(), 0);
  };
  fail(kFtm + "{\"op\":\"DEL\",\"entity\":{}}\n",
       "d.json line 8, field entity.id: a DEL op without the id it deletes");
  fail(kFtm + "{\"op\":\"PATCH\",\"entity\":{\"id\":\"x\",\"schema\":\"Person\"}}\n",
       "d.json line 8, field op: unknown delta op \"PATCH\"");
  fail(kFtm + "{\"op\":\"ADD\"}\n", "d.json line 8, field entity: missing");
}

}  // namespace
}  // namespace entente::ingest
