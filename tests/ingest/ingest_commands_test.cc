// `entente import` and `entente export` as a user runs them: the real binary (ENTENTE_BINARY)
// in a child process. Exit codes, messages, --skip-bad, a second writer, and kill -9 in the
// middle of a big import (the store must be exactly as before).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "../test_store_target.h"
#include "ingest_test_util.h"

namespace entente::ingest {
namespace {

using testing::TempDir;
using testing::TestStore;

struct CommandRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

pid_t Spawn(const TempDir& dir, const std::vector<std::string>& args, const std::string& tag) {
  pid_t pid = fork();
  if (pid == 0) {
    std::string out = dir.File(tag + ".out"), err = dir.File(tag + ".err");
    if (!freopen(out.c_str(), "w", stdout) || !freopen(err.c_str(), "w", stderr)) _exit(127);
    std::vector<char*> argv;
    std::string binary = ENTENTE_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

CommandRun Wait(const TempDir& dir, pid_t pid, const std::string& tag) {
  int status = 0;
  waitpid(pid, &status, 0);
  CommandRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = Slurp(dir.File(tag + ".out"));
  run.err = Slurp(dir.File(tag + ".err"));
  return run;
}

CommandRun Entente(const TempDir& dir, const std::vector<std::string>& args) {
  return Wait(dir, Spawn(dir, args, "run"), "run");
}

const std::string kCsv =
    "id,name,aliases,birth_date,nationality,id_number,category\n"
    "A-1,\"DUPONT, Jean\",,1970,FR,,other\n"
    "A-2,\"BENALI, Youssef\",Youcef Benali,1985-06,MA,,terrorism\n";

TEST(ImportCommand, HelpWorks) {
  TempDir dir;
  CommandRun run = Entente(dir, {"import", "--help"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("--skip-bad"), std::string::npos);
  EXPECT_NE(run.out.find("--releasable-to"), std::string::npos);
  run = Entente(dir, {"export", "--help"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("--format"), std::string::npos);
}

TEST(ImportCommand, ImportsSummarisesAndExports) {
  TempDir dir;
  std::string db = ::entente::testing::StoreTarget(dir.File("store.db"));
  std::vector<std::string> import = {"--db",
                                     db,
                                     "--service",
                                     "DGSI",
                                     "import",
                                     "--format",
                                     "csv",
                                     "--reliability",
                                     "B",
                                     "--credibility",
                                     "2",
                                     "--tlp",
                                     "AMBER+STRICT",
                                     "--releasable-to",
                                     "DGSN-DGST,DGSE",
                                     dir.Write("a.csv", kCsv)};
  CommandRun run = Entente(dir, import);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("imported 2 records from 1 file"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("2 created, 0 updated, 0 unchanged; 0 rows rejected"), std::string::npos)
      << run.out;
  // The same import again changes nothing.
  run = Entente(dir, import);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("0 created, 0 updated, 2 unchanged"), std::string::npos) << run.out;

  TestStore store(db);
  auto found = store.store->FindBySourceRecord("csv:a.csv", "A-2");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  const RecordMeta& meta = MetaOf(*found);
  EXPECT_EQ(meta.provenance.service, "DGSI");
  EXPECT_EQ(meta.grades, (Grades{'B', 2}));
  EXPECT_EQ(meta.marking.tlp, Tlp::kAmberStrict);
  EXPECT_EQ(meta.marking.releasable_to, (std::vector<std::string>{"DGSN-DGST", "DGSE"}));

  run = Entente(dir, {"--db", db, "export", "--format", "jsonl", dir.File("out.jsonl")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("exported 2 records"), std::string::npos) << run.out;
  run = Entente(dir, {"--db", db, "export", "--format", "csv", dir.File("out.csv")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(Slurp(dir.File("out.csv")).find("BENALI, Youssef"), std::string::npos);
}

TEST(ImportCommand, BadInputExitsNonZeroAndWritesNothing) {
  TempDir dir;
  std::string db = ::entente::testing::StoreTarget(dir.File("store.db"));
  ASSERT_EQ(
      Entente(dir, {"--db", db, "import", "--format", "csv", dir.Write("a.csv", kCsv)}).exit_code,
      0);
  std::string bad = dir.Write("bad.csv", kCsv + "A-3,\"DUPONT, Marie\",,2023-02-30,,,\n");
  CommandRun run = Entente(dir, {"--db", db, "import", "--format", "csv", bad});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("bad.csv line 4, field birth_date: \"2023-02-30\""), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("nothing was written"), std::string::npos) << run.err;

  run = Entente(dir, {"--db", db, "import", "--format", "csv", dir.File("missing.csv")});
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("missing.csv: no such file"), std::string::npos) << run.err;

  run = Entente(dir, {"--db", db, "import", "--format", "sdn", dir.File("a.csv")});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("not an OFAC SDN CSV file"), std::string::npos) << run.err;

  run = Entente(dir, {"--db", db, "import", "--format", "pdf", dir.File("a.csv")});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  run = Entente(dir,
                {"--db", db, "import", "--format", "csv", "--reliability", "Z", dir.File("a.csv")});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  run =
      Entente(dir, {"--db", db, "import", "--format", "csv", "--tlp", "PURPLE", dir.File("a.csv")});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  run = Entente(
      dir, {"--db", db, "import", "--format", "csv", "--category", "spies", dir.File("a.csv")});
  EXPECT_EQ(run.exit_code, 2) << run.err;

  TestStore store(db);
  EXPECT_EQ(store.Records(), 2);
  EXPECT_EQ(store.MaxSeq(), 2);

  // With --skip-bad the good rows go in and the bad one is written out.
  run = Entente(dir,
                {"--db", db, "import", "--format", "csv", "--skip-bad", dir.File("rej.csv"), bad});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("1 row rejected"), std::string::npos) << run.out;
  EXPECT_NE(Slurp(dir.File("rej.csv")).find("field birth_date"), std::string::npos);
}

// A generic CSV of `rows` people.
std::string BigCsv(int rows) {
  std::string out = "id,name,aliases,birth_date,nationality,id_number,category\n";
  out.reserve(static_cast<size_t>(rows) * 90);
  for (int i = 0; i < rows; ++i) {
    out += "B-" + std::to_string(i) + ",\"BENALI" + std::to_string(i % 997) + ", Youssef " +
           std::to_string(i) + "\",Youcef Benali|Yusuf Ben Ali," + std::to_string(1950 + i % 50) +
           "-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 9) + ",MA,P" +
           std::to_string(i) + ",terrorism\n";
  }
  return out;
}

// True when another connection holds the store's write lock (an import is running).
bool WriteLocked(const std::string& db_path) {
  auto db = Database::Open(db_path, /*busy_timeout_ms=*/0);
  if (!db.ok()) return false;
  Status begun = (*db)->BeginWrite();
  if (!begun.ok()) return true;
  bool locked = false;
  if ((*db)->backend() == DatabaseBackend::kPostgres) {
    // PostgreSQL's write transactions run side by side; a record writer holds the row lock of
    // the change counter until it commits.
    locked = !(*db)
                  ->Query("SELECT value FROM change_counter WHERE singleton = 1 FOR UPDATE NOWAIT")
                  .ok();
  }
  (void)(*db)->Rollback();
  return locked;
}

// The store is sound: SQLite's own check, and on both back ends every record's current version
// is in the change feed and the counter is not behind the feed.
void ExpectIntact(Database& db) {
  if (db.backend() == DatabaseBackend::kSqlite) {
    auto check = db.Query("PRAGMA integrity_check");
    ASSERT_TRUE(check.ok()) << check.status().ToString();
    EXPECT_EQ((*check)[0].Text(0), "ok");
  }
  auto orphans = db.Query(
      "SELECT COUNT(*) FROM records r LEFT JOIN record_versions v ON v.change_seq = r.change_seq "
      "WHERE v.change_seq IS NULL");
  ASSERT_TRUE(orphans.ok()) << orphans.status().ToString();
  EXPECT_EQ((*orphans)[0].Int(0), 0);
  auto behind = db.Query(
      "SELECT COUNT(*) FROM record_versions WHERE change_seq > "
      "(SELECT value FROM change_counter WHERE singleton = 1)");
  ASSERT_TRUE(behind.ok()) << behind.status().ToString();
  EXPECT_EQ((*behind)[0].Int(0), 0);
}

// A store in `dir` holding kCsv's two records; its target.
std::string StoreOfTwoRecords(const TempDir& dir) {
  std::string db = ::entente::testing::StoreTarget(dir.File("store.db"));
  EXPECT_EQ(
      Entente(dir, {"--db", db, "import", "--format", "csv", dir.Write("a.csv", kCsv)}).exit_code,
      0);
  return db;
}

TEST(ImportCommand, KillDuringAOneTransactionImportLeavesTheStoreAsBefore) {
  TempDir dir;
  std::string db = StoreOfTwoRecords(dir);
  std::string big = dir.Write("big.csv", BigCsv(200000));

  pid_t child = Spawn(
      dir, {"--db", db, "import", "--quiet", "--commit-every", "0", "--format", "csv", big}, "big");
  // Wait until the child holds the write transaction, let it write a while, then kill it.
  bool locked = false;
  for (int attempt = 0; attempt < 3000 && !locked; ++attempt) {
    locked = WriteLocked(db);
    if (!locked) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    int status = 0;
    if (!locked && waitpid(child, &status, WNOHANG) == child) {
      FAIL() << "the import finished before it could be killed; make the file bigger";
    }
  }
  ASSERT_TRUE(locked) << "the import never took the write lock";
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_EQ(kill(child, SIGKILL), 0);
  CommandRun killed = Wait(dir, child, "big");
  EXPECT_EQ(killed.exit_code, 128 + SIGKILL) << "the import ended before the kill: " << killed.out;

  TestStore store(db);
  EXPECT_EQ(store.Records(), 2);
  EXPECT_EQ(store.MaxSeq(), 2);
  ExpectIntact(*store.db);
  // And the store still takes writes.
  CommandRun again =
      Entente(dir, {"--db", db, "import", "--format", "csv", dir.Write("c.csv", kCsv)});
  EXPECT_EQ(again.exit_code, 0) << again.err;
}

TEST(ImportCommand, KillDuringABatchedImportKeepsWholeBatchesAndARerunFinishesIt) {
  TempDir dir;
  std::string db = StoreOfTwoRecords(dir);
  std::string big = dir.Write("big.csv", BigCsv(60000));
  const std::vector<std::string> import_big = {"--db",     db,    "import", "--quiet",
                                               "--format", "csv", big};
  pid_t child = Spawn(dir, import_big, "big");
  // Wait until the first batches are committed (the default: 2,048 records a transaction).
  TestStore watch(db);
  bool committed = false;
  for (int attempt = 0; attempt < 6000 && !committed; ++attempt) {
    committed = watch.Records() > 2;
    if (!committed) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(committed) << "no batch of the import was ever committed";
  ASSERT_EQ(kill(child, SIGKILL), 0);
  CommandRun killed = Wait(dir, child, "big");
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << "the import ended before the kill: " << killed.out;

  int64_t kept = watch.Records() - 2;
  EXPECT_GT(kept, 0);
  EXPECT_LT(kept, 60000);
  EXPECT_EQ(kept % ingest::kDefaultCommitEvery, 0) << "only whole transactions stay";
  EXPECT_EQ(watch.MaxSeq(), kept + 2);
  ExpectIntact(*watch.db);
  // Running the same import again finishes it: every record once, the kept ones unchanged.
  CommandRun again = Entente(dir, import_big);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find(std::to_string(60000 - kept) + " created"), std::string::npos)
      << again.out;
  EXPECT_NE(again.out.find(std::to_string(kept) + " unchanged"), std::string::npos) << again.out;
  EXPECT_EQ(watch.Records(), 60002);
  EXPECT_EQ(watch.MaxSeq(), 60002);
  ExpectIntact(*watch.db);
}

TEST(ImportCommand, SecondWriterWaitsForTheFirst) {
  TempDir dir;
  std::string db = ::entente::testing::StoreTarget(dir.File("store.db"));
  ASSERT_EQ(
      Entente(dir, {"--db", db, "import", "--format", "csv", dir.Write("a.csv", kCsv)}).exit_code,
      0);
  std::string big = dir.Write("big.csv", BigCsv(5000));
  pid_t first = Spawn(dir, {"--db", db, "import", "--quiet", "--format", "csv", big}, "first");
  pid_t second = Spawn(dir,
                       {"--db", db, "import", "--quiet", "--format", "csv",
                        dir.Write("b.csv", kCsv + "A-9,\"AMRANI, Said\",,,,,\n")},
                       "second");
  CommandRun one = Wait(dir, first, "first");
  CommandRun two = Wait(dir, second, "second");
  EXPECT_EQ(one.exit_code, 0) << one.err;
  // The second either waited for the lock and succeeded, or gave up cleanly (exit 5).
  EXPECT_TRUE(two.exit_code == 0 || two.exit_code == 5) << two.err;
  TestStore store(db);
  EXPECT_EQ(store.Records(), 2 + 5000 + (two.exit_code == 0 ? 3 : 0));
  ExpectIntact(*store.db);
}

}  // namespace
}  // namespace entente::ingest
