// A batched import (ImportOptions::commit_every): every row is checked before the first write,
// then the records are written in several transactions, so that other writers of a serving
// node wait for one batch, not for the whole import.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "ingest/importer.h"
#include "ingest_test_util.h"

namespace entente::ingest {
namespace {

using testing::Options;
using testing::TempDir;
using testing::TestStore;

const std::string kHeader = "id,name,aliases,birth_date,nationality,id_number,category\n";

// `count` good rows, ids W-0 .. W-(count-1); `tail` appended as the last rows.
std::string Rows(int count, const std::string& tail = "") {
  std::string out = kHeader;
  for (int i = 0; i < count; ++i)
    out += "W-" + std::to_string(i) + ",\"BENALI, Youssef " + std::to_string(i) +
           "\",,1980,MA,,"
           "terrorism\n";
  return out + tail;
}

ImportOptions Batched(const std::string& path, int64_t commit_every) {
  ImportOptions options = Options("csv", path);
  options.commit_every = commit_every;
  return options;
}

// Records another connection sees: what has been committed.
int64_t CommittedRecords(const std::string& store_path) {
  auto db = Database::Open(::entente::testing::StoreTarget(store_path));
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  if (!db.ok()) return -1;
  RecordStore store(db->get());
  auto stats = store.Stats();
  return stats.ok() ? stats->records : -1;
}

TEST(BatchedImport, CommitsInSeveralTransactionsAndEndsAsOneImportWould) {
  TempDir dir;
  const std::string store_path = dir.File("store.db");
  TestStore db(store_path);
  // Batches of 512 rows: commits after 1,024, 2,048 and 3,072 records; the last 28 and the
  // caller's entry are the last transaction.
  std::string path = dir.Write("a.csv", Rows(3100));
  int64_t committed_before_last = -1;
  auto report = RunImport(*db.store, Batched(path, 600), [&](Database&, const ImportReport&) {
    committed_before_last = CommittedRecords(store_path);
    return Status::Ok();
  });
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  // While the last transaction was open, another connection already saw the earlier batches.
  EXPECT_EQ(committed_before_last, 3072);
  EXPECT_EQ(report->rows, 3100);
  EXPECT_EQ(report->created, 3100);
  EXPECT_EQ(report->records, 3100);
  EXPECT_EQ(db.Records(), 3100);
  EXPECT_EQ(db.MaxSeq(), 3100) << "the change feed has one entry per record, without gaps";
  EXPECT_EQ(report->last_change_seq, 3100);
}

TEST(BatchedImport, ABadLastRowWritesNothing) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string path = dir.Write("a.csv", Rows(3000, "W-bad,,,1980,MA,,terrorism\n"));
  auto report = RunImport(*db.store, Batched(path, 600));
  ASSERT_FALSE(report.ok());
  const std::string message = report.status().message();
  EXPECT_NE(message.find("import failed, nothing was written"), std::string::npos) << message;
  EXPECT_NE(message.find("a.csv line 3002"), std::string::npos) << message;
  EXPECT_EQ(db.Records(), 0);
  EXPECT_EQ(db.MaxSeq(), 0);
}

TEST(BatchedImport, ARowTheWriteGuardRefusesWritesNothing) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string path = dir.Write("a.csv", Rows(3000));
  ImportOptions options = Batched(path, 600);
  options.write_guard = [](const RecordMeta*, const Record& proposed) {
    if (MetaOf(proposed).provenance.source_record_id == "W-2500")
      return PermissionDenied("this one is not yours to write");
    return Status::Ok();
  };
  auto report = RunImport(*db.store, options);
  ASSERT_FALSE(report.ok());
  const std::string message = report.status().message();
  EXPECT_EQ(report.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(message.find("nothing was written"), std::string::npos) << message;
  EXPECT_NE(message.find("a.csv line 2502"), std::string::npos) << message;
  EXPECT_NE(message.find("not yours to write"), std::string::npos) << message;
  EXPECT_EQ(db.Records(), 0);
}

TEST(BatchedImport, SkipBadWritesEachRejectedRowOnce) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string path = dir.Write(
      "a.csv", Rows(1500, "W-bad,,,1980,MA,,terrorism\nW-bad2,\"X, Y\",,not-a-date,MA,,other\n"));
  ImportOptions options = Batched(path, 400);
  options.skip_bad_path = dir.File("rejects.csv");
  options.write_guard = [](const RecordMeta*, const Record&) { return Status::Ok(); };
  auto report = RunImport(*db.store, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rejected, 2);
  EXPECT_EQ(db.Records(), 1500);
  std::ifstream in(options.skip_bad_path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string rejects = text.str();
  EXPECT_EQ(std::count(rejects.begin(), rejects.end(), '\n'), 3) << rejects;  // header + 2
}

TEST(BatchedImport, AFailureAfterACommitSaysWhatStaysAndARerunFinishes) {
  TempDir dir;
  TestStore db(dir.File("store.db"));
  std::string path = dir.Write("a.csv", Rows(2100));
  auto failed = RunImport(*db.store, Batched(path, 600), [](Database&, const ImportReport&) {
    return Unavailable("audit trail unavailable");
  });
  ASSERT_FALSE(failed.ok());
  const std::string message = failed.status().message();
  EXPECT_NE(message.find("were written and stay"), std::string::npos) << message;
  EXPECT_NE(message.find("audit trail unavailable"), std::string::npos) << message;
  int64_t kept = db.Records();
  EXPECT_EQ(kept, 2048);
  // The same import again writes the rest once; what was kept is unchanged.
  auto again = RunImport(*db.store, Batched(path, 600));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->created, 2100 - kept);
  EXPECT_EQ(again->unchanged, kept);
  EXPECT_EQ(db.Records(), 2100);
  EXPECT_EQ(db.MaxSeq(), 2100);
}

TEST(BatchedImport, OneTransactionWhenCommitEveryIsZero) {
  TempDir dir;
  const std::string store_path = dir.File("store.db");
  TestStore db(store_path);
  std::string path = dir.Write("a.csv", Rows(2000));
  int64_t committed_before_last = -1;
  auto report = RunImport(*db.store, Batched(path, 0), [&](Database&, const ImportReport&) {
    committed_before_last = CommittedRecords(store_path);
    return Status::Ok();
  });
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(committed_before_last, 0);
  EXPECT_EQ(db.Records(), 2000);
}

}  // namespace
}  // namespace entente::ingest
