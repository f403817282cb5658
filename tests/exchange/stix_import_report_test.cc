// What `entente import --format stix` says of the objects it does not store as records: every
// object of the real OASIS examples is either a record, a rejected row or counted by STIX type
// in the report and the summary line; nothing disappears without being named.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "../test_store_target.h"
#include "common/ids.h"
#include "exchange/stix_bundle.h"
#include "ingest/importer.h"
#include "store/record_store.h"

namespace entente::exchange {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

fs::path OasisDir() { return fs::path(ENTENTE_SHARED_DIR) / "data/stix/oasis_examples"; }

class StixImportReport : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(RegisterStixFormats().ok());
    dir_ = fs::temp_directory_path() / ("stix_report_" + RandomHex(4));
    fs::create_directories(dir_);
    auto db = Database::Open(::entente::testing::StoreTarget((dir_ / "a.db").string()));
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(RecordStore::Migrate(*db_).ok());
    store_ = std::make_unique<RecordStore>(db_.get());
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }
  ingest::ImportOptions Options(std::vector<std::string> paths) {
    ingest::ImportOptions options;
    options.format = "stix";
    options.paths = std::move(paths);
    options.progress = false;
    return options;
  }
  fs::path dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<RecordStore> store_;
};

json Object(const std::string& type, json extra) {
  json o = {{"type", type},
            {"spec_version", "2.1"},
            {"id", RandomId(type)},
            {"created", "2020-01-01T00:00:00Z"},
            {"modified", "2020-01-01T00:00:00Z"}};
  o.update(extra);
  return o;
}

TEST_F(StixImportReport, EveryOasisObjectIsStoredOrCountedByType) {
  ASSERT_TRUE(fs::exists(OasisDir())) << OasisDir();
  std::vector<std::string> paths;
  std::map<std::string, int64_t> objects_by_type;
  int64_t objects = 0;
  for (const auto& entry : fs::directory_iterator(OasisDir())) {
    if (entry.path().extension() != ".json") continue;
    paths.push_back(entry.path().string());
    std::ifstream in(entry.path());
    json bundle = json::parse(in);
    // A file may hold one object instead of a bundle.
    json listed = bundle.value("type", "") == "bundle" ? bundle.value("objects", json::array())
                                                       : json::array({bundle});
    for (const json& o : listed) {
      ++objects;
      ++objects_by_type[o["type"].get<std::string>()];
    }
  }
  ASSERT_GE(paths.size(), 17u);
  // One import per file: two examples hold the same identity, and one import refuses two rows
  // with one id (a duplicate of line N).
  ingest::ImportReport total;
  std::string line;
  for (const std::string& path : paths) {
    SCOPED_TRACE(path);
    auto report = ingest::RunImport(*store_, Options({path}));
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    total.rows += report->rows;
    total.records += report->records;
    total.rejected += report->rejected;
    for (const auto& [kind, count] : report->not_stored) total.not_stored[kind] += count;
    if (path.ends_with("poisonivy.json")) line = ingest::ImportSummaryLine(*report);
  }
  int64_t not_stored = 0;
  for (const auto& [kind, count] : total.not_stored) not_stored += count;
  EXPECT_EQ(total.rows, objects);
  EXPECT_EQ(total.rejected, 0);
  // Each object is a record or counted: none is lost without a word.
  EXPECT_EQ(total.records + not_stored, objects);
  EXPECT_GT(not_stored, 200);
  // Types entente has no record for are counted under their own name, all of them.
  for (const char* type : {"indicator", "malware", "attack-pattern", "campaign", "report"}) {
    SCOPED_TRACE(type);
    ASSERT_GT(objects_by_type[type], 0);
    EXPECT_EQ(total.not_stored[type], objects_by_type[type]);
  }
  // poisonivy.json: 1 identity of 155 objects, the rest named by type.
  EXPECT_NE(line.find("; 0 rows rejected; 154 source items not stored as records: "),
            std::string::npos)
      << line;
  EXPECT_NE(line.find("25 malware"), std::string::npos) << line;
  EXPECT_NE(line.find("(entente stores identities, threat actors and locations"), std::string::npos)
      << line;
}

TEST_F(StixImportReport, RelationshipsNotStoredSayWhy) {
  json org = Object("identity", {{"name", "ACME"}, {"identity_class", "organization"}});
  json indicator = Object("indicator", {{"pattern", "[ipv4-addr:value = '1.2.3.4']"},
                                        {"pattern_type", "stix"},
                                        {"valid_from", "2020-01-01T00:00:00Z"}});
  json uses =
      Object("relationship",
             {{"relationship_type", "uses"}, {"source_ref", org["id"]}, {"target_ref", org["id"]}});
  json located = Object("relationship", {{"relationship_type", "located-at"},
                                         {"source_ref", indicator["id"]},
                                         {"target_ref", org["id"]}});
  json bundle = {{"type", "bundle"}, {"id", RandomId("bundle")}};
  bundle["objects"] = json::array({org, indicator, uses, located});
  std::ofstream(dir_ / "r.json") << bundle.dump();
  auto report = ingest::RunImport(*store_, Options({(dir_ / "r.json").string()}));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->records, 1);
  std::map<std::string, int64_t> expected = {
      {"indicator", 1}, {"relationship (uses)", 1}, {"relationship (an end not kept)", 1}};
  EXPECT_EQ(report->not_stored, expected);
  EXPECT_EQ(ingest::NotStoredLine(*report).substr(0, 38), "3 source items not stored as records: ");
}

TEST_F(StixImportReport, BadObjectIsRejectedAndNotCountedAsNotStored) {
  json indicator = Object("indicator", {{"pattern", "[ipv4-addr:value = '1.2.3.4']"},
                                        {"pattern_type", "stix"},
                                        {"valid_from", "2020-01-01T00:00:00Z"}});
  json broken = Object("malware", {{"spec_version", "2.0"}, {"is_family", false}});
  json bundle = {{"type", "bundle"}, {"id", RandomId("bundle")}};
  bundle["objects"] = json::array({indicator, broken});
  std::ofstream(dir_ / "bad.json") << bundle.dump();
  // All or nothing: the bad object fails the import, naming file, object and rule.
  auto failed = ingest::RunImport(*store_, Options({(dir_ / "bad.json").string()}));
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("bad.json: object 2"), std::string::npos)
      << failed.status().ToString();
  EXPECT_NE(failed.status().message().find("stix21.common.spec-version-value"), std::string::npos)
      << failed.status().ToString();
  // With --skip-bad: the bad object is a rejected row, the indicator is counted as not stored.
  ingest::ImportOptions options = Options({(dir_ / "bad.json").string()});
  options.skip_bad_path = (dir_ / "rejects.csv").string();
  auto report = ingest::RunImport(*store_, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rejected, 1);
  EXPECT_EQ(report->not_stored, (std::map<std::string, int64_t>{{"indicator", 1}}));
  std::string line = ingest::ImportSummaryLine(*report);
  EXPECT_NE(line.find("1 row rejected; 1 source item not stored as records: 1 indicator"),
            std::string::npos)
      << line;
}

TEST(StixImportSummary, NoNotStoredPartWhenEverythingWasStored) {
  ingest::ImportReport report;
  report.records = 3;
  EXPECT_EQ(ingest::NotStoredLine(report), "");
  EXPECT_EQ(ingest::ImportSummaryLine(report).find("not stored"), std::string::npos);
  report.not_stored = {{"malware", 2}, {"indicator", 5}, {"tool", 2}};
  report.not_stored_note = "why";
  EXPECT_EQ(ingest::NotStoredLine(report),
            "9 source items not stored as records: 5 indicator, 2 malware, 2 tool (why)");
}

}  // namespace
}  // namespace entente::exchange
