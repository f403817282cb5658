// `entente serve` takes chunks of screening jobs from the store like `entente worker` does,
// unless started with --no-worker: two real servers over one store (SQLite, or PostgreSQL in
// the pg: run) finish a job queued by the CLI; a --no-worker server, and one whose config says
// `[server] worker = false`, leave it alone.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "../temp_dir.h"
#include "../test_store_target.h"
#include "run_entente.h"
#include "store/database.h"
#include "store/record_store.h"

namespace entente::server::testing {
namespace {

class ServeWorkersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = entente::testing::MakeTempDir("entente-serve-workers");
    store_ = entente::testing::StoreTarget(dir_ + "/store.db");
    log_ = dir_ + "/cli.log";
    std::ofstream watchlist(dir_ + "/watchlist.csv");
    watchlist << "id,name\n";
    for (int i = 0; i < 50; ++i) watchlist << "W" << i << ",Nadia Cherkaoui " << (100 + i) << "\n";
    watchlist.close();
    ASSERT_EQ(
        RunEntente({"--db", store_, "import", "--format", "csv", dir_ + "/watchlist.csv"}, log_), 0)
        << ReadLog(log_);
    std::ofstream list(dir_ + "/list.csv");
    list << "id,name\n";
    for (int i = 0; i < 400; ++i) list << "R" << i << ",Nadia Cherkaoui " << (100 + i % 70) << "\n";
  }
  void TearDown() override {
    for (pid_t pid : servers_) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }

  // Starts `entente serve` (plain HTTP on a free port) and waits until it says it serves.
  void Serve(const std::vector<std::string>& extra) {
    const std::string out = dir_ + "/serve" + std::to_string(servers_.size()) + ".out";
    std::vector<std::string> args = {"--db", store_, "serve", "--http", "--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_t pid = fork();
    if (pid == 0) {
      if (!freopen(out.c_str(), "w", stdout) || !freopen((out + ".err").c_str(), "w", stderr))
        _exit(127);
      std::vector<char*> argv = {const_cast<char*>(ENTENTE_BINARY)};
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(ENTENTE_BINARY, argv.data());
      _exit(127);
    }
    servers_.push_back(pid);
    for (int i = 0; i < 600 && ReadLog(out).find("serving on") == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_NE(ReadLog(out).find("serving on"), std::string::npos) << ReadLog(out + ".err");
  }

  std::string Config(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  std::string JobStatus() {
    auto db = Database::Open(store_);
    if (!db.ok()) return "";
    auto rows = (*db)->Query("SELECT status FROM screen_jobs WHERE job_id = 1");
    return rows.ok() && !rows->empty() ? (*rows)[0].Text(0) : "";
  }

  std::string dir_, store_, log_;
  std::vector<pid_t> servers_;
};

TEST_F(ServeWorkersTest, TwoServersFinishAQueuedJobAndANoWorkerServerLeavesItAlone) {
  Serve({"--no-worker"});
  Serve({"--config", Config("no-worker.toml", "[server]\nworker = false\n")});
  ASSERT_EQ(RunEntente({"--db", store_, "jobs", "start", "--list", "l", "--input",
                        dir_ + "/list.csv", "--batch", "40", "--queue"},
                       log_),
            0)
      << ReadLog(log_);
  // The servers without a worker poll nothing: the job stays queued.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(JobStatus(), "running");
  ASSERT_EQ(RunEntente({"--db", store_, "jobs"}, log_), 0);
  EXPECT_NE(ReadLog(log_).find("queued"), std::string::npos) << ReadLog(log_);

  Serve({});
  Serve({});
  for (int i = 0; i < 600 && JobStatus() != "done"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(JobStatus(), "done");
  auto db = Database::Open(store_);
  ASSERT_TRUE(db.ok());
  auto chunks = (*db)->Query(
      "SELECT COUNT(*), SUM(hits) FROM screen_job_chunks WHERE job_id = 1 AND state = 'done'");
  ASSERT_TRUE(chunks.ok());
  EXPECT_EQ((*chunks)[0].Int(0), 10);
  auto hits = (*db)->Query("SELECT COUNT(*) FROM screen_hits WHERE job_id = 1");
  ASSERT_TRUE(hits.ok());
  EXPECT_GT((*hits)[0].Int(0), 0);
  EXPECT_EQ((*hits)[0].Int(0), (*chunks)[0].Int(1)) << "each chunk's hits written once";
}

TEST_F(ServeWorkersTest, AWorkerKeyThatIsNotABooleanIsRefusedNamingTheFileAndKey) {
  const std::string config = Config("bad.toml", "[server]\nworker = \"no\"\n");
  EXPECT_NE(
      RunEntente({"--db", store_, "serve", "--http", "--listen", "127.0.0.1:0", "--config", config},
                 log_),
      0);
  EXPECT_NE(ReadLog(log_).find(config + " [server] key worker: expected true or false"),
            std::string::npos)
      << ReadLog(log_);
}

}  // namespace
}  // namespace entente::server::testing
