// The JSON-lines reader: the generic row shape, the model's own record JSON, and bad lines.
#include "ingest/jsonl_reader.h"

#include <gtest/gtest.h>

#include "common/ids.h"
#include "ingest_test_util.h"

namespace entente::ingest {
namespace {

using testing::Options;
using testing::TempDir;
using testing::TestStore;

TEST(JsonlReader, ReadsGenericRowsWithArraysOrPipes) {
  TempDir dir;
  std::string data =
      R"({"id":"J-1","name":"EL AMRANI, Fatima","aliases":["Fatema Amrani","Fatima el-Amrani"],"birth_date":"1990-02-28","nationality":["MA","FR"],"category":"human-trafficking","phone":"+33612"})"
      "\n\n"
      R"({"id":42,"name":"ATLAS LOGISTICS SARL","aliases":"Atlas Log|ALS","nationality":"ma"})"
      "\r\n";
  auto records = ReadAll(Options("jsonl", dir.Write("p.jsonl", data)));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 2u);
  const Entity& fatima = std::get<Entity>((*records)[0]);
  EXPECT_EQ(fatima.type, EntityType::kPerson);
  EXPECT_EQ(fatima.names.size(), 3u);
  EXPECT_EQ(fatima.nationalities, (std::vector<std::string>{"MA", "FR"}));
  EXPECT_EQ(fatima.meta.category, ThreatCategory::kHumanTrafficking);
  EXPECT_EQ(fatima.attributes.at("phone"), "+33612");
  EXPECT_EQ(fatima.meta.provenance.source, "jsonl:p.jsonl");
  const Entity& atlas = std::get<Entity>((*records)[1]);
  EXPECT_EQ(atlas.type, EntityType::kOrganization);
  EXPECT_EQ(atlas.meta.provenance.source_record_id, "42");
  EXPECT_EQ(atlas.names.size(), 3u);
}

TEST(JsonlReader, ReadsTheModelsOwnJson) {
  TempDir dir;
  Entity e;
  e.type = EntityType::kPerson;
  e.meta.id = DeterministicId("person", "dgsi", "X-1");
  e.meta.provenance = {"DGSI", "dgsi", "X-1", "", ""};
  e.meta.grades = {'B', 3};
  e.meta.marking.tlp = Tlp::kRed;
  e.names = {{"Karim Benzarti", NameKind::kPrimary, "Latn"}};
  Relationship r;
  r.meta.id = DeterministicId("relationship", "dgsi", "R-1");
  r.meta.provenance = {"DGSI", "dgsi", "R-1", "", ""};
  r.type = RelationshipType::kUsesPhone;
  r.source_id = e.meta.id;
  r.target_id = DeterministicId("phone", "dgsi", "T-1");
  std::string data = EntityToJson(e) + "\n" + RelationshipToJson(r) + "\n";
  auto records = ReadAll(Options("jsonl", dir.Write("m.jsonl", data)));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 2u);
  const Entity& read = std::get<Entity>((*records)[0]);
  EXPECT_EQ(read.meta.id, e.meta.id);
  EXPECT_EQ(read.meta.provenance.service, "DGSI");  // kept, not the import's
  EXPECT_EQ(read.meta.grades, (Grades{'B', 3}));
  EXPECT_EQ(read.meta.marking.tlp, Tlp::kRed);
  EXPECT_EQ(std::get<Relationship>((*records)[1]).type, RelationshipType::kUsesPhone);
}

TEST(JsonlReader, BadInput) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  const std::string ok = R"({"id":"J-1","name":"DUPONT, Jean"})"
                         "\n";
  auto fail = [&](const std::string& content, const std::string& expected) {
    auto report = RunImport(*db.store, Options("jsonl", dir.Write("bad.jsonl", content)));
    ASSERT_FALSE(report.ok()) << expected;
    EXPECT_NE(report.status().message().find(expected), std::string::npos)
        << report.status().message();
    EXPECT_EQ(db.Records(), 0);
  };
  fail("", "bad.jsonl: the file is empty");
  fail("id,name\nJ-1,X\n", "bad.jsonl line 1: not a JSON lines file");
  fail(ok + "{\"id\":\"J-2\",\"name\":\n", "bad.jsonl line 2: malformed JSON");
  fail(ok + "[1,2]\n", "bad.jsonl line 2: expected a JSON object");
  fail(ok + "{\"id\":\"J-2\",\"name\":{\"x\":1}}\n",
       "bad.jsonl line 2, field name: expected a string or an array of strings");
  fail(ok + "{\"id\":\"J-2\",\"name\":\"X Y\",\"birth_date\":\"2023-02-30\"}\n",
       "bad.jsonl line 2, field birth_date: \"2023-02-30\"");
  fail(ok + "{\"id\":\"J-2\",\"name\":\"X Y\",\"nationality\":[\"ZZ\"]}\n",
       "bad.jsonl line 2, field nationality: \"ZZ\"");
  fail(ok + "{\"id\":\"J-2\",\"name\":\"X Y\",\"category\":\"spying\"}\n",
       "bad.jsonl line 2, field category: unknown category \"spying\"");
  fail(ok + "{\"id\":\"J-2\",\"name\":\"X \xc3\"}\n", "bad.jsonl line 2: invalid UTF-8");
  fail(ok + "{\"names\":[{\"full\":\"X\"}],\"type\":\"person\"}\n",
       "bad.jsonl line 2, field id: empty, and no provenance.source_record_id");
}

}  // namespace
}  // namespace entente::ingest
