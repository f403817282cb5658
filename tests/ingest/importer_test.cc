// The common import path: one transaction, --skip-bad, idempotent re-import, several files.
#include "ingest/importer.h"

#include <gtest/gtest.h>

#include "common/csv.h"
#include "ingest_test_util.h"

namespace entente::ingest {
namespace {

using testing::Options;
using testing::TempDir;
using testing::TestStore;

const std::string kHeader = "id,name,aliases,birth_date,nationality,id_number,category\n";

TEST(RunImport, WritesEveryRowAndSummarises) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string path =
      dir.Write("a.csv", kHeader +
                             "A-1,\"DUPONT, Jean\",,1970,FR,,other\n"
                             "A-2,\"BENALI, Youssef\",Youcef Benali,1985-06,MA,,terrorism\n");
  auto report = RunImport(*db.store, Options("csv", path));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rows, 2);
  EXPECT_EQ(report->records, 2);
  EXPECT_EQ(report->created, 2);
  EXPECT_EQ(report->rejected, 0);
  EXPECT_EQ(db.Records(), 2);
  std::string line = ImportSummaryLine(*report);
  EXPECT_NE(line.find("imported 2 records from 1 file"), std::string::npos) << line;
  EXPECT_NE(line.find("2 created, 0 updated, 0 unchanged; 0 rows rejected"), std::string::npos)
      << line;
}

TEST(RunImport, BeforeCommitRunsInTheTransactionAndItsFailureRollsBack) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string path = dir.Write("a.csv", kHeader + "A-1,\"DUPONT, Jean\",,1970,FR,,other\n");
  ASSERT_TRUE(db.store->database().Execute("CREATE TABLE side (n INTEGER)").ok());
  // The caller's own write (an audit entry, say) commits with the import...
  int64_t seen_records = -1;
  auto ok = RunImport(*db.store, Options("csv", path), [&](Database& tx, const ImportReport& r) {
    seen_records = r.records;
    EXPECT_TRUE(tx.InTransaction());
    return tx.Execute("INSERT INTO side (n) VALUES (1)");
  });
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(seen_records, 1);
  EXPECT_EQ(db.Records(), 1);
  // ...and when it fails, nothing of the import is kept.
  std::string second = dir.Write("b.csv", kHeader + "B-1,\"MARTIN, Paul\",,1971,FR,,other\n");
  auto refused =
      RunImport(*db.store, Options("csv", second), [](Database& tx, const ImportReport&) {
        (void)tx.Execute("INSERT INTO side (n) VALUES (2)");
        return Internal("audit trail unavailable");
      });
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(db.Records(), 1);
  auto side = db.store->database().Query("SELECT COUNT(*) FROM side");
  ASSERT_TRUE(side.ok());
  EXPECT_EQ((*side)[0].Int(0), 1);
}

TEST(RunImport, ReimportChangesNothing) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string path = dir.Write("a.csv", kHeader +
                                            "A-1,\"DUPONT, Jean\",,1970,FR,,other\n"
                                            "A-2,ACME TRADING LLC,,,,,\n");
  ASSERT_TRUE(RunImport(*db.store, Options("csv", path)).ok());
  int64_t seq = db.MaxSeq();
  auto again = RunImport(*db.store, Options("csv", path));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(again->unchanged, 2);
  EXPECT_EQ(db.MaxSeq(), seq);

  // A changed row updates just that record, as a new version.
  dir.Write("a.csv", kHeader +
                         "A-1,\"DUPONT, Jean\",Jean Dupond,1970,FR,,other\n"
                         "A-2,ACME TRADING LLC,,,,,\n");
  auto changed = RunImport(*db.store, Options("csv", path));
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->updated, 1);
  EXPECT_EQ(changed->unchanged, 1);
  EXPECT_EQ(db.Records(), 2);
}

TEST(RunImport, SkipBadImportsGoodRowsAndWritesRejects) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string path = dir.Write("a.csv", kHeader +
                                            "A-1,\"DUPONT, Jean\",,1970,FR,,other\n"
                                            "A-2,\"DUPONT, Marie\",,2023-02-30,,,\n"
                                            "A-3,\"DUPONT, Paul\",,,XX,,\n"
                                            "A-4,\"DUPONT, Anne\",,,,,\n");
  ImportOptions options = Options("csv", path);
  options.skip_bad_path = dir.File("rejected.csv");
  auto report = RunImport(*db.store, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->created, 2);
  EXPECT_EQ(report->rejected, 2);
  EXPECT_EQ(db.Records(), 2);

  auto csv = CsvReader::Open(options.skip_bad_path);
  ASSERT_TRUE(csv.ok());
  std::vector<std::string> fields;
  Status error;
  ASSERT_TRUE((*csv)->Next(&fields, &error));
  EXPECT_EQ(fields, (std::vector<std::string>{"file", "line", "reason", "row"}));
  ASSERT_TRUE((*csv)->Next(&fields, &error));
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[0], path);
  EXPECT_EQ(fields[1], "3");
  EXPECT_NE(fields[2].find("field birth_date"), std::string::npos) << fields[2];
  EXPECT_EQ(fields[3], "A-2,\"DUPONT, Marie\",,2023-02-30,,,");
  ASSERT_TRUE((*csv)->Next(&fields, &error));
  EXPECT_EQ(fields[1], "4");
  EXPECT_NE(fields[2].find("field nationality"), std::string::npos) << fields[2];
  EXPECT_FALSE((*csv)->Next(&fields, &error));
}

TEST(RunImport, SeveralFilesAreOneTransaction) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string good = dir.Write("good.csv", kHeader + "A-1,\"DUPONT, Jean\",,1970,FR,,other\n");
  std::string bad = dir.Write("bad.csv", kHeader + "B-1,\"DUPONT, Marie\",,1970-13,,,\n");
  ImportOptions options = Options("csv", good);
  options.paths.push_back(bad);
  auto report = RunImport(*db.store, options);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("bad.csv line 2, field birth_date"), std::string::npos)
      << report.status().message();
  EXPECT_EQ(db.Records(), 0);  // good.csv's row was rolled back too

  // A missing second file fails before anything is written.
  options.paths = {good, dir.File("missing.csv")};
  report = RunImport(*db.store, options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(db.Records(), 0);
}

TEST(RunImport, EachFileHasItsOwnDefaultSource) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string row = kHeader + "A-1,\"DUPONT, Jean\",,1970,FR,,other\n";
  ImportOptions options = Options("csv", dir.Write("one.csv", row));
  options.paths.push_back(dir.Write("two.csv", row));
  auto report = RunImport(*db.store, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->created, 2);  // same source record id, different sources
  auto found = db.store->FindBySourceRecord("csv:two.csv", "A-1");
  EXPECT_TRUE(found.ok()) << found.status().ToString();
}

TEST(RunImport, AppliesProvenanceGradesAndMarkings) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  ImportOptions options =
      Options("csv", dir.Write("a.csv", kHeader + "A-1,\"DUPONT, Jean\",,,,,\n"));
  options.defaults.source = "dgsi-fichier-s";
  options.defaults.grades = Grades{'B', 2};
  options.defaults.tlp = Tlp::kAmberStrict;
  options.defaults.releasable_to = {"DGSN-DGST"};
  options.defaults.category = ThreatCategory::kIllegalMigration;
  ASSERT_TRUE(RunImport(*db.store, options).ok());
  auto found = db.store->FindBySourceRecord("dgsi-fichier-s", "A-1");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  const RecordMeta& meta = MetaOf(*found);
  EXPECT_EQ(meta.provenance.service, "DGSI");
  EXPECT_EQ(meta.grades, (Grades{'B', 2}));
  EXPECT_EQ(meta.marking.tlp, Tlp::kAmberStrict);
  EXPECT_EQ(meta.marking.releasable_to, (std::vector<std::string>{"DGSN-DGST"}));
  EXPECT_EQ(meta.category, ThreatCategory::kIllegalMigration);
}

TEST(RunImport, UnknownFormatNamesTheKnownOnes) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  auto report = RunImport(*db.store, Options("xlsx", dir.Write("a.csv", kHeader)));
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(report.status().message().find("unknown import format \"xlsx\" (known: csv, jsonl"),
            std::string::npos)
      << report.status().message();
}

TEST(RunImport, UnwritableSkipFileFailsBeforeWriting) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  ImportOptions options = Options("csv", dir.Write("a.csv", kHeader + "A-1,X Y,,,,,\n"));
  options.skip_bad_path = dir.File("no/such/folder/rejects.csv");
  auto report = RunImport(*db.store, options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kIOError);
  EXPECT_EQ(db.Records(), 0);
}

}  // namespace
}  // namespace entente::ingest
