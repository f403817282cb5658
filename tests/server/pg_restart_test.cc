// PostgreSQL stopped and started under a running server (a cluster of this test's own, so the
// run's shared one is left alone): while it is down every request is answered 503, never 500,
// 401 or data; once it is back the same server answers again without a restart of its own.
// And under two `entente worker` processes sharing a screening job: they wait and go on by
// themselves, and the job ends with exactly the hits of one process on a SQLite file.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "../pg_cluster.h"
#include "audit/audit_log.h"
#include "run_entente.h"
#include "server_test_util.h"
#include "store_queries.h"

namespace entente::server {
namespace {

using testing::MakePerson;
using testing::ParseJson;
using testing::TestServer;

TEST(PostgresRestart, ServerAnswers503WhileDownAndRecoversOnItsOwn) {
  entente::testing::PgCluster cluster;
  std::string why;
  ASSERT_TRUE(cluster.Start(&why)) << why;
  TestServer server(nullptr, cluster.ConnInfo());
  server.Start();
  Entity person = MakePerson("Hicham Lahlou", Tlp::kGreen);
  server.Put({person});
  const std::string path = "/api/v1/entities/" + person.meta.id;
  ASSERT_EQ(server.Call("GET", path, "ana").first, 200);

  cluster.Down();
  for (int i = 0; i < 5; ++i) {
    auto [status, body] = server.Call("GET", path, "ana");
    EXPECT_EQ(status, 503) << body;
    EXPECT_EQ(ParseJson(body)["error"].value("code", ""), "unavailable") << body;
  }
  // A write too: refused as unavailable, and nothing half-done afterwards.
  EXPECT_EQ(server
                .Call("POST", "/api/v1/imports?format=jsonl&filename=x.jsonl", "ana",
                      ParseJson(EntityToJson(MakePerson("Down Write", Tlp::kGreen))).dump(),
                      "application/x-ndjson")
                .first,
            503);

  ASSERT_TRUE(cluster.Up());
  int status = 0;
  std::string body;
  for (int attempt = 0; attempt < 20 && status != 200; ++attempt) {
    std::tie(status, body) = server.Call("GET", path, "ana");
    if (status != 200) {
      EXPECT_EQ(status, 503) << body;  // only while the pool's connections are renewed
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(ParseJson(body)["id"], person.meta.id);
  // The failed sign-in checks of the outage did not lock the user out.
  EXPECT_EQ(server.Call("GET", path, "ana").first, 200);
  // And the audit chain is whole.
  auto db = Database::Open(cluster.ConnInfo());
  ASSERT_TRUE(db.ok());
  auto report = AuditLog::Verify(**db);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok) << report->problem;
}

TEST(PostgresRestart, AJobSharedByTwoWorkersFinishesWithTheSameHitsThroughARestart) {
  using testing::QueryCount;
  using testing::ReadLog;
  using testing::RunEntente;
  using testing::SpawnEntente;
  using testing::StoredHits;
  entente::testing::PgCluster cluster;
  std::string why;
  ASSERT_TRUE(cluster.Start(&why)) << why;
  const std::string dir = testing::MakeTempDir("entente-pg-restart-job");
  const std::string pg = cluster.ConnInfo(), control = dir + "/control.db", log = dir + "/cli.log";
  {
    std::ofstream watchlist(dir + "/watchlist.csv");
    watchlist << "id,name\n";
    for (int i = 0; i < 300; ++i) watchlist << "W" << i << ",Nadia Cherkaoui " << (100 + i) << "\n";
    std::ofstream list(dir + "/list.csv");
    list << "id,name\n";
    for (int i = 0; i < 40000; ++i)
      list << "R" << i << ",Nadia Cherkaoui " << (100 + i % 400) << "\n";
  }
  // A PostgreSQL store has no default record-id key file.
  setenv("ENTENTE_ID_KEY_FILE", (dir + "/id-key").c_str(), /*overwrite=*/0);
  for (const std::string& db : {pg, control}) {
    ASSERT_EQ(RunEntente({"--db", db, "import", "--format", "csv", dir + "/watchlist.csv"}, log), 0)
        << ReadLog(log);
  }
  ASSERT_EQ(
      RunEntente({"--db", control, "jobs", "start", "--list", "l", "--input", dir + "/list.csv"},
                 log),
      0)
      << ReadLog(log);
  ASSERT_EQ(RunEntente({"--db", pg, "jobs", "start", "--list", "l", "--input", dir + "/list.csv",
                        "--batch", "500", "--queue"},
                       log),
            0)
      << ReadLog(log);
  std::vector<pid_t> workers;
  for (int i = 0; i < 2; ++i) {
    const std::string out = dir + "/w" + std::to_string(i) + ".out";
    workers.push_back(SpawnEntente({"--db", pg, "worker", "--exit-when-idle", "--lease-ms", "3000",
                                    "--poll-ms", "100", "--threads", "1"},
                                   out, out + ".err"));
  }
  const std::string done_sql = "SELECT COUNT(*) FROM screen_job_chunks WHERE state = 'done'";
  int64_t done = 0;
  for (int i = 0; i < 3000 && done < 2; ++i) {
    done = QueryCount(pg, done_sql);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GE(done, 2);
  cluster.Down();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_TRUE(cluster.Up());
  for (size_t i = 0; i < workers.size(); ++i) {
    int status = 0;
    waitpid(workers[i], &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << ReadLog(dir + "/w" + std::to_string(i) + ".out.err");
  }
  const int64_t chunks = QueryCount(pg, "SELECT COUNT(*) FROM screen_job_chunks");
  EXPECT_EQ(chunks, 80);
  EXPECT_LT(done, chunks) << "PostgreSQL was stopped after the job had finished";
  EXPECT_EQ(QueryCount(pg, done_sql), chunks);
  EXPECT_EQ(QueryCount(pg, "SELECT rows_done FROM screen_jobs WHERE job_id = 1"), 40000);
  const auto expected = StoredHits(control);
  EXPECT_GT(expected.size(), 20000u);
  EXPECT_TRUE(StoredHits(pg) == expected) << "hits missing or doubled";
  EXPECT_EQ(QueryCount(pg, "SELECT hit_count FROM screen_jobs WHERE job_id = 1"),
            static_cast<int64_t>(expected.size()));
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
}  // namespace entente::server
