// Screening jobs spread over `entente worker` processes sharing one store (SQLite, and a real
// PostgreSQL cluster in the pg: run): chunks leased with a deadline, a worker killed with
// kill -9 while it holds a lease, another worker started again, and the hits compared with a
// single-process run on a SQLite file of the same watchlist.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "screen/job_chunks.h"
#include "screen_cli_fixture.h"

namespace entente::screen {
namespace {

class ScreenWorkersTest : public ScreenCliTest {
 protected:
  // A SQLite file store with the watchlist, whatever the run's store (the peer of every test).
  void MakeSqliteStore(const std::string& path) {
    auto db = Database::Open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(RecordStore::Migrate(**db).ok());
    ASSERT_TRUE(MigrateScreen(**db).ok());
    std::vector<Entity> people;
    for (int i = 0; i < 200; ++i) {
      std::string name = std::string(kGiven[i % 20]) + " " + kFamily[(i / 20 + i) % 20];
      people.push_back(Person("W-" + std::to_string(i), {name}, BirthDate(i)));
    }
    testing::Put(**db, people);
  }

  std::multiset<HitKey> SqliteHits(const std::string& path) {
    auto db = Database::Open(path);
    std::multiset<HitKey> keys;
    if (!db.ok()) return keys;
    auto hits = ListHits(**db, HitFilter{});
    EXPECT_TRUE(hits.ok());
    for (const auto& h : *hits) {
      keys.insert({h.list_name, h.row_id, h.entity_id, h.entity_version, h.status});
    }
    return keys;
  }

  std::vector<std::string> WorkerArgs(const std::string& db) {
    return {"--db", db,          "worker", "--exit-when-idle", "--lease-ms",
            "1500", "--poll-ms", "50",     "--threads",        "1"};
  }

  // Waits for `pid`; true when it was killed by SIGKILL.
  static bool Killed(pid_t pid, int* exit_code) {
    int status = 0;
    waitpid(pid, &status, 0);
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }
};

TEST_F(ScreenWorkersTest, TwoWorkersOneKilledMidJobGiveTheHitsOfASingleProcessRun) {
  const int kRows = 3000;
  MakeStore(Db("shared.db"));
  MakeSqliteStore(dir_.File("control.db"));
  MakeList(dir_.File("list.csv"), kRows, 5);
  // The peer: one process on SQLite, as before workers existed.
  CliRun control = Entente({"--db", dir_.File("control.db"), "jobs", "start", "--list", "big",
                            "--input", dir_.File("list.csv"), "--batch", "100"});
  ASSERT_EQ(control.exit_code, 0) << control.err;

  CliRun queued = Entente({"--db", Db("shared.db"), "jobs", "start", "--list", "big", "--input",
                           dir_.File("list.csv"), "--batch", "100", "--queue"});
  ASSERT_EQ(queued.exit_code, 0) << queued.err;
  EXPECT_NE(queued.out.find("0 done/0 leased/30 pending"), std::string::npos) << queued.out;

  // Worker A dies holding the lease of its 2nd chunk (hits written, not committed). B starts
  // once A holds its first lease, so that B cannot take every chunk before A gets going.
  pid_t a = Spawn(WorkerArgs(Db("shared.db")), dir_.File("a.out"), dir_.File("a.err"),
                  "screen.batch_before_commit:2");
  const std::string a_leases = "SELECT COUNT(*) FROM screen_job_chunks WHERE lease_pid = " +
                               std::to_string(a) + " AND state <> 'pending'";
  for (int i = 0; i < 2000 && QueryInt(Db("shared.db"), a_leases) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pid_t b = Spawn(WorkerArgs(Db("shared.db")), dir_.File("b.out"), dir_.File("b.err"));
  int a_exit = 0;
  ASSERT_TRUE(Killed(a, &a_exit)) << "worker A was not killed at its crash point, exit " << a_exit
                                  << "\n"
                                  << Slurp(dir_.File("a.err"));
  // Mid-job: some chunks are done, not all.
  const int64_t done_when_killed =
      QueryInt(Db("shared.db"), "SELECT COUNT(*) FROM screen_job_chunks WHERE state = 'done'");
  EXPECT_GE(done_when_killed, 1);
  // A is started again, as systemd would.
  pid_t a2 = Spawn(WorkerArgs(Db("shared.db")), dir_.File("a2.out"), dir_.File("a2.err"));
  int b_exit = 0, a2_exit = 0;
  EXPECT_FALSE(Killed(b, &b_exit));
  EXPECT_FALSE(Killed(a2, &a2_exit));
  ASSERT_EQ(b_exit, 0) << Slurp(dir_.File("b.err"));
  ASSERT_EQ(a2_exit, 0) << Slurp(dir_.File("a2.err"));

  auto expected = SqliteHits(dir_.File("control.db"));
  auto got = Hits(Db("shared.db"));
  EXPECT_GT(expected.size(), 500u);
  EXPECT_EQ(got, expected) << "hits missing or doubled";
  EXPECT_EQ(QueryInt(Db("shared.db"), "SELECT hit_count FROM screen_jobs WHERE job_id = 1"),
            static_cast<int64_t>(expected.size()));
  EXPECT_EQ(QueryInt(Db("shared.db"), "SELECT rows_done FROM screen_jobs WHERE job_id = 1"), kRows);
  EXPECT_EQ(
      QueryInt(Db("shared.db"), "SELECT COUNT(*) FROM screen_job_chunks WHERE state = 'done'"), 30);
  // The chunk A died on was taken again.
  EXPECT_EQ(QueryInt(Db("shared.db"), "SELECT MAX(attempts) FROM screen_job_chunks"), 2);
  // Both B and the restarted worker report what they committed; together every chunk.
  CliRun jobs = Entente({"--db", Db("shared.db"), "jobs", "--format", "jsonl"});
  EXPECT_NE(jobs.out.find("\"status\":\"done\""), std::string::npos) << jobs.out;
  EXPECT_NE(jobs.out.find("\"done\":30"), std::string::npos) << jobs.out;
}

TEST_F(ScreenWorkersTest, ADriverAndAWorkerShareOneJob) {
  MakeStore(Db("shared.db"));
  MakeSqliteStore(dir_.File("control.db"));
  MakeList(dir_.File("list.csv"), 1500, 9);
  CliRun control = Entente({"--db", dir_.File("control.db"), "jobs", "start", "--list", "l",
                            "--input", dir_.File("list.csv"), "--batch", "50"});
  ASSERT_EQ(control.exit_code, 0) << control.err;
  // The worker waits for work; the driver (`jobs start`) creates the job and screens with it.
  std::vector<std::string> args = WorkerArgs(Db("shared.db"));
  args.erase(args.begin() + 3);  // not --exit-when-idle: it runs until SIGTERM
  pid_t worker = Spawn(args, dir_.File("w.out"), dir_.File("w.err"));
  CliRun driver = Entente({"--db", Db("shared.db"), "jobs", "start", "--list", "l", "--input",
                           dir_.File("list.csv"), "--batch", "50", "--pause-ms", "20"});
  ASSERT_EQ(driver.exit_code, 0) << driver.err;
  EXPECT_NE(driver.out.find("done, 1500 of 1500 rows"), std::string::npos) << driver.out;
  kill(worker, SIGTERM);
  int status = 0;
  waitpid(worker, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "the worker must stop on SIGTERM";
  EXPECT_EQ(WEXITSTATUS(status), 0) << Slurp(dir_.File("w.err"));
  std::string worker_out = Slurp(dir_.File("w.out"));
  EXPECT_EQ(worker_out.find("worker: 0 chunks"), std::string::npos)
      << "the worker should have taken some chunks: " << worker_out;
  EXPECT_EQ(Hits(Db("shared.db")), SqliteHits(dir_.File("control.db")));
}

TEST_F(ScreenWorkersTest, BadInputIsRefusedWithAClearError) {
  CliRun lease = Entente({"--db", Db("s.db"), "worker", "--lease-ms", "5"});
  EXPECT_EQ(lease.exit_code, 2);
  EXPECT_NE(lease.err.find("--lease-ms"), std::string::npos) << lease.err;
  CliRun unknown = Entente({"--db", Db("s.db"), "worker", "--no-such-flag"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("no-such-flag"), std::string::npos) << unknown.err;
  CliRun unreachable = Entente(
      {"worker", "--store", "postgresql:///nodb?host=/nonexistent-entente", "--exit-when-idle"});
  EXPECT_NE(unreachable.exit_code, 0);
  EXPECT_NE(unreachable.err.find("nonexistent-entente"), std::string::npos) << unreachable.err;
  // Nothing to do: a worker with --exit-when-idle returns at once.
  CliRun idle = Entente({"--db", Db("s.db"), "worker", "--exit-when-idle", "--poll-ms", "10"});
  EXPECT_EQ(idle.exit_code, 0) << idle.err;
  EXPECT_NE(idle.out.find("worker: 0 chunks"), std::string::npos) << idle.out;
}

}  // namespace
}  // namespace entente::screen
