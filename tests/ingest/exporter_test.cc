// Export: jsonl round trip, CSV columns, marking checks, unknown format, unwritable file.
#include "ingest/exporter.h"

#include <gtest/gtest.h>

#include "common/csv.h"
#include "ingest_test_util.h"

namespace entente::ingest {
namespace {

using testing::Options;
using testing::TempDir;
using testing::TestStore;

const std::string kCsv =
    "id,name,aliases,birth_date,nationality,id_number,category\n"
    "A-1,\"DUPONT, Jean\",Jean Dupond,1970-05,FR,P123,terrorism\n"
    "A-2,ACME TRADING LLC,,,,,SDNTK\n";

TEST(RunExport, JsonlRoundTripsIntoAnotherStoreAndBackUnchanged) {
  TempDir dir;
  TestStore a(dir.File("a.db"));
  ASSERT_TRUE(RunImport(*a.store, Options("csv", dir.Write("in.csv", kCsv))).ok());
  ExportOptions options;
  options.format = "jsonl";
  options.path = dir.File("out.jsonl");
  auto report = RunExport(*a.store, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->written, 2);

  TestStore b(dir.File("b.db"));
  auto imported = RunImport(*b.store, Options("jsonl", options.path));
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->created, 2);
  auto original = a.store->FindBySourceRecord("csv:in.csv", "A-1");
  auto copy = b.store->FindBySourceRecord("csv:in.csv", "A-1");
  ASSERT_TRUE(original.ok() && copy.ok());
  const Entity& x = std::get<Entity>(*original);
  const Entity& y = std::get<Entity>(*copy);
  EXPECT_EQ(x.meta.id, y.meta.id);
  EXPECT_EQ(x.names, y.names);
  EXPECT_EQ(x.birth_dates, y.birth_dates);
  EXPECT_EQ(x.meta.category, y.meta.category);

  // The export imported back into the first store changes nothing there.
  int64_t seq = a.MaxSeq();
  auto back = RunImport(*a.store, Options("jsonl", options.path));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->unchanged, 2);
  EXPECT_EQ(a.MaxSeq(), seq);
}

TEST(RunExport, CsvHasTheGenericColumns) {
  TempDir dir;
  TestStore db(dir.File("a.db"));
  ASSERT_TRUE(RunImport(*db.store, Options("csv", dir.Write("in.csv", kCsv))).ok());
  ExportOptions options;
  options.format = "csv";
  options.path = dir.File("out.csv");
  ASSERT_TRUE(RunExport(*db.store, options).ok());
  // The export reads back as a generic CSV.
  auto records = ReadAll(Options("csv", options.path));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 2u);
  bool found = false;
  for (const Record& r : *records) {
    const Entity& e = std::get<Entity>(r);
    if (e.DisplayName() != "DUPONT, Jean") continue;
    found = true;
    EXPECT_EQ(e.names.size(), 2u);
    EXPECT_EQ(e.birth_dates[0].ToString(), "1970-05");
    EXPECT_EQ(e.nationalities, (std::vector<std::string>{"FR"}));
    EXPECT_EQ(e.documents[0].number, "P123");
    EXPECT_EQ(e.meta.category, ThreatCategory::kTerrorism);
    EXPECT_EQ(e.attributes.at("source"), "csv:in.csv");
  }
  EXPECT_TRUE(found);
}

TEST(RunExport, WithholdsWhatTheMarkingsForbid) {
  TempDir dir;
  TestStore db(dir.File("a.db"));
  ImportOptions red = Options("csv", dir.Write("red.csv", kCsv));
  red.defaults.tlp = Tlp::kRed;
  ASSERT_TRUE(RunImport(*db.store, red).ok());
  ImportOptions green = Options("csv", dir.Write("green.csv", kCsv));
  green.defaults.tlp = Tlp::kGreen;
  ASSERT_TRUE(RunImport(*db.store, green).ok());
  ImportOptions restricted = Options("csv", dir.Write("restricted.csv", kCsv));
  restricted.defaults.tlp = Tlp::kGreen;
  restricted.defaults.releasable_to = {"DGSE"};
  ASSERT_TRUE(RunImport(*db.store, restricted).ok());

  ExportOptions options;
  options.format = "jsonl";
  options.path = dir.File("for-partner.jsonl");
  options.clearance = Tlp::kAmber;
  options.for_service = "DGSN-DGST";
  auto report = RunExport(*db.store, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->written, 2);   // green.csv
  EXPECT_EQ(report->withheld, 4);  // red.csv (TLP) and restricted.csv (releasability)
}

TEST(RunExport, BadRequests) {
  TempDir dir;
  TestStore db(dir.File("a.db"));
  ExportOptions options;
  options.format = "xml";
  options.path = dir.File("out.xml");
  auto report = RunExport(*db.store, options);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("unknown export format \"xml\""), std::string::npos);
  options.format = "jsonl";
  options.path = dir.File("no/such/folder/out.jsonl");
  report = RunExport(*db.store, options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kIOError);
}

}  // namespace
}  // namespace entente::ingest
