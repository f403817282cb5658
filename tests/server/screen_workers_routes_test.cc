// The progress of a screening job shared by workers, as the job status route reports it: the
// job row and its chunks live in the store, so a server answers for work done by `entente
// worker` processes (and another server's) exactly as for its own.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "run_entente.h"
#include "screen/job_chunks.h"
#include "server_test_util.h"

namespace entente::screen {
namespace {

using server::testing::MakePerson;
using server::testing::ParseJson;
using server::testing::RunEntente;
using server::testing::TestServer;

TEST(ScreenWorkersRoutes, TheJobRouteReportsChunksLeasedAndDoneByOtherProcesses) {
  TestServer server;
  server.Start();
  std::vector<Record> people;
  for (int i = 0; i < 40; ++i) {
    people.push_back(MakePerson("Karim Benali " + std::to_string(1000 + i), Tlp::kGreen));
  }
  server.Put(people);
  const std::string list = server.dir() + "/list.csv";
  {
    std::ofstream out(list);
    out << "id,name\n";
    for (int i = 0; i < 300; ++i) out << "R" << i << ",Karim Benali " << (1000 + i % 80) << "\n";
  }
  const std::string log = server.dir() + "/entente.log";
  ASSERT_EQ(RunEntente({"--db", server.db_path(), "jobs", "start", "--list", "shared", "--input",
                        list, "--batch", "50", "--queue"},
                       log),
            0);
  // Another worker (this test process) holds chunk 0.
  auto db = Database::Open(server.db_path());
  ASSERT_TRUE(db.ok());
  auto leased = ClaimChunk(**db, "other-worker", 60000);
  ASSERT_TRUE(leased.ok() && leased->has_value());
  auto [status, body] = server.Call("GET", "/api/v1/screening/jobs/1", "sam");
  ASSERT_EQ(status, 200) << body;
  auto job = ParseJson(body);
  EXPECT_EQ(job["status"], "running");
  EXPECT_EQ(job["rows_done"], 0);
  EXPECT_EQ(job["chunks"]["total"], 6);
  EXPECT_EQ(job["chunks"]["leased"], 1);
  EXPECT_EQ(job["chunks"]["pending"], 5);

  // That worker's lease lapses; a worker process does the whole job.
  ASSERT_TRUE((*db)->Execute("UPDATE screen_job_chunks SET lease_deadline_ms = 1").ok());
  ASSERT_EQ(RunEntente({"--db", server.db_path(), "worker", "--exit-when-idle", "--poll-ms", "20",
                        "--quiet"},
                       log),
            0);
  std::tie(status, body) = server.Call("GET", "/api/v1/screening/jobs/1", "sam");
  ASSERT_EQ(status, 200) << body;
  job = ParseJson(body);
  EXPECT_EQ(job["status"], "done");
  EXPECT_EQ(job["rows_done"], 300);
  EXPECT_EQ(job["progress"], 1.0);
  EXPECT_EQ(job["chunks"]["done"], 6);
  EXPECT_EQ(job["chunks"]["leased"], 0);
  auto hits = (*db)->Query("SELECT COUNT(*) FROM screen_hits WHERE job_id = 1");
  ASSERT_TRUE(hits.ok());
  EXPECT_GT((*hits)[0].Int(0), 0);
  EXPECT_EQ(job["hits"], (*hits)[0].Int(0));
  // The lease the test process lost: its commit is refused.
  ASSERT_TRUE((*db)->BeginWrite().ok());
  EXPECT_EQ(MarkChunkDone(**db, **leased).code(), StatusCode::kConflict);
  ASSERT_TRUE((*db)->Rollback().ok());
}

}  // namespace
}  // namespace entente::screen
