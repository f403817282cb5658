// The screening flows end to end through the real `entente` binary (ENTENTE_BINARY) and the
// real matching engine, including kill -9 during a job and during a re-screening. Counts are
// compared with an uninterrupted run of the same commands on a copy of the same store, so the
// tests do not depend on the engine's scores.
#include "screen_cli_fixture.h"

namespace entente::screen {
namespace {

class ScreenCommandsTest : public ScreenCliTest {};

TEST_F(ScreenCommandsTest, HelpWorksOnEveryCommand) {
  for (const char* command : {"jobs", "hits", "decide", "rescreen", "alerts", "report"}) {
    CliRun run = Entente({command, "--help"});
    EXPECT_EQ(run.exit_code, 0) << command << ": " << run.err;
  }
  EXPECT_EQ(Entente({"jobs", "start", "--help"}).exit_code, 0);
  EXPECT_EQ(Entente({"jobs", "resume", "--help"}).exit_code, 0);
}

TEST_F(ScreenCommandsTest, ScreenWithListStoresAndScreensTheListAsJobsStartDoes) {
  MakeStore(Db("a.db"));
  MakeStore(Db("b.db"));
  MakeList(dir_.File("list.csv"), 60, 1);
  CliRun screened = Entente({"--db", Db("a.db"), "screen", "--input", dir_.File("list.csv"),
                             "--list", "event", "--top", "10", "--threads", "2"});
  ASSERT_EQ(screened.exit_code, 0) << screened.err;
  EXPECT_NE(screened.out.find("done"), std::string::npos) << screened.out;
  CliRun started = Entente({"--db", Db("b.db"), "jobs", "start", "--list", "event", "--input",
                            dir_.File("list.csv"), "--threads", "2"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_EQ(Hits(Db("a.db")), Hits(Db("b.db")));
  EXPECT_GE(Hits(Db("a.db")).size(), 20u);

  CliRun both = Entente({"--db", Db("a.db"), "screen", "--input", dir_.File("list.csv"), "--list",
                         "again", "--output", dir_.File("hits.csv")});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("--output"), std::string::npos) << both.err;
  CliRun neither = Entente({"--db", Db("a.db"), "screen", "--input", dir_.File("list.csv")});
  EXPECT_EQ(neither.exit_code, 2);
}

TEST_F(ScreenCommandsTest, ScreenReviewRescreenReport) {
  MakeStore(Db("s.db"));
  MakeList(dir_.File("list.csv"), 60, 1);
  {
    std::ofstream bad(dir_.File("list.csv"), std::ios::app);
    bad << "R-1-0,Duplicate Row,,\n"  // duplicate id
        << "R-bad,,,\n";              // empty name
  }
  CliRun start = Entente({"--db", Db("s.db"), "jobs", "start", "--list", "event", "--input",
                          dir_.File("list.csv"), "--threads", "2"});
  ASSERT_EQ(start.exit_code, 0) << start.err;
  EXPECT_NE(
      start.err.find("line 62 (id R-1-0): rejected: duplicate id 'R-1-0' (first seen at line 2)"),
      std::string::npos)
      << start.err;
  EXPECT_NE(start.err.find("line 63 (id R-bad): rejected: empty name"), std::string::npos);
  EXPECT_NE(start.out.find("done"), std::string::npos) << start.out;

  CliRun jobs = Entente({"--db", Db("s.db"), "jobs"});
  EXPECT_EQ(jobs.exit_code, 0);
  EXPECT_NE(jobs.out.find("60/60 (100.0%)"), std::string::npos) << jobs.out;

  CliRun csv = Entente({"--db", Db("s.db"), "hits", "--list", "event", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind(
                "query_id,entity_id,source_id,score,matched_name,explanation,hit_id,status\n", 0),
            0u);
  auto hits = Hits(Db("s.db"));
  ASSERT_GE(hits.size(), 20u);  // every third row carries a listed name and birth date

  // Decisions.
  auto db = OpenDb(Db("s.db"));
  auto open = ListHits(*db, HitFilter{.list_name = "event", .status = "open"});
  ASSERT_TRUE(open.ok() && !open->empty());
  std::string hit_id = std::to_string((*open)[0].hit_id);
  db.reset();
  EXPECT_EQ(
      Entente({"--db", Db("s.db"), "decide", hit_id, "no-match", "--reason", "namesake"}).exit_code,
      0);
  CliRun other =
      Entente({"--db", Db("s.db"), "--user", "bob", "decide", hit_id, "match", "--reason", "x"});
  EXPECT_EQ(other.exit_code, 5);
  EXPECT_NE(other.err.find("already decided 'no-match' by alice"), std::string::npos) << other.err;
  EXPECT_EQ(Entente({"--db", Db("s.db"), "--user", "bob", "decide", hit_id, "match", "--reason",
                     "x", "--force"})
                .exit_code,
            0);
  EXPECT_EQ(Entente({"--db", Db("s.db"), "decide", "999999", "match", "--reason", "x"}).exit_code,
            3);
  EXPECT_EQ(Entente({"--db", Db("s.db"), "decide", hit_id, "maybe", "--reason", "x"}).exit_code, 2);
  EXPECT_NE(Entente({"--db", Db("s.db"), "decide", hit_id, "match"}).exit_code, 0);  // no reason
  CliRun matched = Entente({"--db", Db("s.db"), "hits", "--status", "match", "--format", "jsonl"});
  EXPECT_NE(matched.out.find("\"decided_by\":\"bob\""), std::string::npos) << matched.out;
  EXPECT_EQ(Entente({"--db", Db("s.db"), "hits", "--status", "maybe"}).exit_code, 2);
  EXPECT_EQ(Entente({"--db", Db("s.db"), "hits", "--format", "xml"}).exit_code, 2);

  // A new record shared later: re-screening raises it as an alert, once.
  CliRun nothing = Entente({"--db", Db("s.db"), "rescreen"});
  EXPECT_EQ(nothing.exit_code, 0) << nothing.err;
  EXPECT_NE(nothing.out.find("0 alerts"), std::string::npos) << nothing.out;
  db = OpenDb(Db("s.db"));
  testing::Put(*db, {Person("NEW-1", {"Malika Guessous"}, "1977-05-05")});
  {
    std::ofstream more(dir_.File("more.csv"));
    more << "id,name,birth_date\nX-1,Malika Guessous,1977-05-05\n";
  }
  db.reset();
  CliRun rescreen = Entente({"--db", Db("s.db"), "rescreen"});
  ASSERT_EQ(rescreen.exit_code, 0) << rescreen.err;
  CliRun alerts = Entente({"--db", Db("s.db"), "alerts", "--format", "csv"});
  ASSERT_EQ(alerts.exit_code, 0);
  auto alert_keys = Alerts(Db("s.db"));
  // "Malika Guessous" is not on the event list (family names cycle differently): check by data.
  int64_t expected =
      QueryInt(Db("s.db"), "SELECT COUNT(*) FROM screen_list_rows WHERE name = 'Malika Guessous'");
  EXPECT_GE(static_cast<int64_t>(alert_keys.size()), expected);
  CliRun again = Entente({"--db", Db("s.db"), "rescreen"});
  EXPECT_NE(again.out.find("0 alerts"), std::string::npos);
  EXPECT_EQ(Alerts(Db("s.db")), alert_keys);

  CliRun report = Entente({"--db", Db("s.db"), "report", "1", "--format", "csv"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.out.find("rows,rejected,2\n"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("decision,match,1\n"), std::string::npos) << report.out;
  CliRun json = Entente({"--db", Db("s.db"), "report", "1"});
  EXPECT_NE(json.out.find("\"by_score_band\""), std::string::npos);
  EXPECT_EQ(Entente({"--db", Db("s.db"), "report", "77"}).exit_code, 3);
  CliRun errors = Entente({"--db", Db("s.db"), "jobs", "errors", "1"});
  EXPECT_NE(errors.out.find("duplicate id"), std::string::npos);
}

TEST_F(ScreenCommandsTest, KillDuringJobThenResumeGivesExactlyTheSameHits) {
  MakeStore(Db("base.db"));
  MakeList(dir_.File("list.csv"), 1200, 3);
  Copy(Db("base.db"), Db("control.db"));
  Copy(Db("base.db"), Db("victim.db"));
  CliRun control = Entente({"--db", Db("control.db"), "jobs", "start", "--list", "big", "--input",
                            dir_.File("list.csv"), "--batch", "40"});
  ASSERT_EQ(control.exit_code, 0) << control.err;

  pid_t pid = Spawn({"--db", Db("victim.db"), "jobs", "start", "--list", "big", "--input",
                     dir_.File("list.csv"), "--batch", "40", "--pause-ms", "20"},
                    dir_.File("victim.out"), dir_.File("victim.err"));
  bool started = WaitFor(pid, [&] {
    return QueryInt(Db("victim.db"), "SELECT rows_done FROM screen_jobs WHERE job_id = 1") >= 400;
  });
  ASSERT_TRUE(started) << Slurp(dir_.File("victim.err"));
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  int64_t done = QueryInt(Db("victim.db"), "SELECT rows_done FROM screen_jobs WHERE job_id = 1");
  EXPECT_GE(done, 400);
  EXPECT_LT(done, 1200);

  CliRun jobs = Entente({"--db", Db("victim.db"), "jobs"});
  EXPECT_NE(jobs.out.find("interrupted"), std::string::npos) << jobs.out;
  CliRun resume = Entente({"--db", Db("victim.db"), "jobs", "resume", "1", "--batch", "40"});
  ASSERT_EQ(resume.exit_code, 0) << resume.err;

  auto expected = Hits(Db("control.db"));
  auto got = Hits(Db("victim.db"));
  EXPECT_GT(expected.size(), 300u);
  EXPECT_EQ(got, expected);
  EXPECT_EQ(QueryInt(Db("victim.db"), "SELECT hit_count FROM screen_jobs WHERE job_id = 1"),
            static_cast<int64_t>(expected.size()));
  EXPECT_EQ(QueryInt(Db("victim.db"), "SELECT runs FROM screen_jobs WHERE job_id = 1"), 2);
}

TEST_F(ScreenCommandsTest, KillDuringRescreenThenRerunGivesExactlyTheSameAlerts) {
  MakeStore(Db("base.db"));
  for (int list = 0; list < 3; ++list) {
    std::string file = dir_.File("list" + std::to_string(list) + ".csv");
    MakeList(file, 300, 10 + list);
    ASSERT_EQ(Entente({"--db", Db("base.db"), "jobs", "start", "--list", "L" + std::to_string(list),
                       "--input", file})
                  .exit_code,
              0);
  }
  {
    // Weeks later: new records and new versions (an alias) of listed people, and one revoked.
    auto db = OpenDb(Db("base.db"));
    std::vector<Entity> changed;
    for (int i = 0; i < 30; ++i) {
      std::string name = std::string(kGiven[(i + 3) % 20]) + " " + kOtherFamily[i % 10];
      changed.push_back(Person("NEW-" + std::to_string(i), {name}));
    }
    for (int i = 0; i < 20; ++i) {
      std::string name = std::string(kGiven[i % 20]) + " " + kFamily[(i / 20 + i) % 20];
      changed.push_back(Person("W-" + std::to_string(i), {name, name + " Junior"}, BirthDate(i)));
    }
    testing::Put(*db, changed);
    testing::Revoke(*db, Person("W-25", {"x"}).meta.id);
  }
  Copy(Db("base.db"), Db("control.db"));
  Copy(Db("base.db"), Db("victim.db"));
  CliRun control = Entente({"--db", Db("control.db"), "rescreen"});
  ASSERT_EQ(control.exit_code, 0) << control.err;
  auto expected = Alerts(Db("control.db"));
  ASSERT_GT(expected.size(), 10u) << control.out;

  pid_t pid = Spawn({"--db", Db("victim.db"), "rescreen", "--pause-ms", "60000"},
                    dir_.File("victim.out"), dir_.File("victim.err"));
  const std::string max_seq = "(SELECT value FROM change_counter)";
  bool one_list = WaitFor(pid, [&] {
    return QueryInt(Db("victim.db"),
                    "SELECT COUNT(*) FROM screen_lists WHERE checked_seq = " + max_seq) == 1;
  });
  ASSERT_TRUE(one_list) << Slurp(dir_.File("victim.err"));
  // While it holds the lock, a second re-screening refuses at once.
  CliRun refused = Entente({"--db", Db("victim.db"), "rescreen", "--wait", "0"});
  EXPECT_EQ(refused.exit_code, 5);
  EXPECT_NE(refused.err.find("another rescreen is running"), std::string::npos) << refused.err;
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  EXPECT_LT(Alerts(Db("victim.db")).size(), expected.size());

  CliRun rerun =
      Entente({"--db", Db("victim.db"), "rescreen", "--wait", "0"});  // takes over the lock
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_EQ(Alerts(Db("victim.db")), expected);
  EXPECT_EQ(Hits(Db("victim.db")), Hits(Db("control.db")));
  CliRun again = Entente({"--db", Db("victim.db"), "rescreen"});
  EXPECT_NE(again.out.find("0 alerts"), std::string::npos);
  EXPECT_EQ(Alerts(Db("victim.db")), expected);
}

}  // namespace
}  // namespace entente::screen
