// Every crash point of entente (common/crash_point.h), run for real: the `entente` binary is
// killed with SIGKILL at the point in the middle of a workflow (imports, a screening job,
// re-screening, a review decision, users, an agreement, publishing, an audit anchor), then the
// step is recovered as docs/SECURITY.md tells an operator to (run the same command again, or
// `entente jobs resume ID` for a screening job that was stored), the rest of the workflow runs,
// and the store must equal that of a run that was never interrupted: the same records and
// versions, a change feed without gaps, the same hits, alerts, decisions, users, agreements and
// published objects, nothing doubled; and `entente audit verify` must pass.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../temp_dir.h"
#include "common/crash_point.h"
#include "store/database.h"

namespace entente {
namespace {

const char* kGiven[] = {"Mohamed", "Karim", "Youssef", "Fatima", "Nadia",  "Rachid", "Samir",
                        "Leila",   "Omar",  "Hassan",  "Amina",  "Khalid", "Said",   "Zineb"};
const char* kFamily[] = {"El Idrissi", "Bensaid", "Ouazzani", "Cherkaoui", "Benali",
                         "Tazi",       "Alaoui",  "Bennani",  "Fassi",     "Berrada"};

// A watchlist CSV of `count` people from `first` on; `tag` changes their aliases, so that a
// second import of the same ids makes new versions.
std::string Watchlist(int first, int count, const std::string& tag) {
  std::string out = "id,name,aliases,birth_date,nationality,id_number,category\n";
  for (int i = first; i < first + count; ++i) {
    out += "W-" + std::to_string(i) + "," + kGiven[i % 14] + " " + kFamily[(i / 14) % 10] + " " +
           std::to_string(i) + "," + tag + std::to_string(i) + ",19" + std::to_string(50 + i % 40) +
           "-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 9) + ",MA,,terrorism\n";
  }
  return out;
}

// A screening list whose rows name some of the watchlist's people (and some nobody).
std::string ScreeningList() {
  std::string out = "id,name\n";
  for (int i = 0; i < 120; ++i) {
    int person = i * 11;
    out += "A-" + std::to_string(i) + "," + kGiven[person % 14] + " " +
           kFamily[(person / 14) % 10] + " " + std::to_string(person) + "\n";
  }
  return out;
}

// The test's folder, removed at the end.
class Folder {
 public:
  Folder() : path_(testing::MakeTempDir("entente-crash")) {}
  ~Folder() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct Step {
  std::vector<std::string> args;
  bool is_job_start = false;  // recovered with `jobs resume` once its job is stored
};

struct Outcome {
  bool killed = false;  // by SIGKILL
  int exit_code = -1;
  std::string output;
};

class CrashPointsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Write("watch1.csv", Watchlist(0, 1300, "a"));
    Write("watch2.csv", Watchlist(1200, 300, "b"));
    Write("list.csv", ScreeningList());
    Write("agreement.toml",
          "[partner]\nname = \"dgsi\"\nservice = \"DGSI\"\n[share]\ncategories = [\"*\"]\n"
          "max_tlp = \"AMBER\"\n");
  }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_.File(name)) << text;
  }

  // The workflow every point is tried in; each step is one `entente` process.
  std::vector<Step> Workflow(const std::string& db) const {
    auto step = [&](std::vector<std::string> args) {
      std::vector<std::string> full = {"--db", db, "--service", "DGSN-DGST"};
      full.insert(full.end(), args.begin(), args.end());
      return Step{full};
    };
    std::vector<Step> steps = {
        // In transactions of about 500 records, so that a kill can leave some committed.
        step({"import", "--quiet", "--commit-every", "500", "--format", "csv",
              dir_.File("watch1.csv")}),
        step({"jobs", "start", "--list", "arrivals", "--input", dir_.File("list.csv"), "--batch",
              "30", "--threads", "1"}),
        step({"import", "--quiet", "--format", "csv", dir_.File("watch2.csv")}),
        step({"rescreen", "--threads", "1"}),
        step({"decide", "1", "match", "--reason", "same person, same birth date"}),
        step({"users", "add", "bob", "--role", "analyst", "--clearance", "GREEN"}),
        step({"users", "token", "bob"}),
        step({"users", "revoke", "bob"}),
        step({"share", "keygen"}),
        step({"share", "set-agreement", dir_.File("agreement.toml")}),
        step({"share", "publish", "dgsi"}),
        step({"audit", "anchor"}),
        step({"audit", "anchor"}),
    };
    steps[1].is_job_start = true;
    return steps;
  }

  Outcome Run(const std::vector<std::string>& args, const std::string& crash_at) {
    std::string out_file = dir_.File("out.txt");
    pid_t pid = fork();
    if (pid == 0) {
      if (!freopen(out_file.c_str(), "w", stdout) || !freopen(out_file.c_str(), "a", stderr)) {
        _exit(127);
      }
      setenv("ENTENTE_USER", "officer", 1);
      if (crash_at.empty()) {
        unsetenv("ENTENTE_CRASH_AT");
      } else {
        setenv("ENTENTE_CRASH_AT", crash_at.c_str(), 1);
      }
      std::vector<char*> argv;
      std::string binary = ENTENTE_BINARY;
      argv.push_back(binary.data());
      std::vector<std::string> copy = args;
      for (auto& arg : copy) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    Outcome outcome;
    outcome.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(out_file);
    std::stringstream text;
    text << in.rdbuf();
    outcome.output = text.str();
    return outcome;
  }

  // Runs the workflow on `db` with ENTENTE_CRASH_AT=`crash_at` (none when empty); recovers the
  // step that was killed as the docs say. Returns how many steps were killed.
  int RunWorkflow(const std::string& db, const std::string& crash_at) {
    int killed = 0;
    for (const Step& step : Workflow(db)) {
      // Once the point fired, the rest runs as after a restart: without it.
      Outcome first = Run(step.args, killed == 0 ? crash_at : "");
      if (first.killed) {
        ++killed;
        std::vector<std::string> again = step.args;
        if (step.is_job_start && JobStored(db)) again = {"--db", db, "jobs", "resume", "1"};
        Outcome recovered = Run(again, "");
        EXPECT_EQ(recovered.exit_code, 0) << crash_at << ": recovering " << again[4] << "\n"
                                          << recovered.output;
        continue;
      }
      EXPECT_EQ(first.exit_code, 0) << crash_at << ": " << step.args[4] << "\n" << first.output;
    }
    return killed;
  }

  static bool JobStored(const std::string& path) {
    auto db = Database::Open(path);
    if (!db.ok()) return false;
    auto rows = (*db)->Query("SELECT COUNT(*) FROM screen_jobs");
    return rows.ok() && !rows->empty() && (*rows)[0].Int(0) > 0;
  }

  // What must be the same after a crash and its recovery as after a run that was never cut.
  static std::map<std::string, std::string> Fingerprint(const std::string& path) {
    auto opened = Database::Open(path);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    if (!opened.ok()) return {};
    Database& db = **opened;
    const std::map<std::string, std::string> queries = {
        {"records", "SELECT id, version, content_hash, revoked FROM records ORDER BY id"},
        {"versions", "SELECT id, version, change_kind FROM record_versions ORDER BY id, version"},
        {"feed gaps",
         "SELECT COUNT(*) - (MAX(change_seq) - MIN(change_seq) + 1) FROM record_versions"},
        {"hits",
         "SELECT l.name, h.row_id, h.entity_id, h.entity_version, ROUND(h.score, 6), h.status,"
         " h.origin, h.decision FROM screen_hits h JOIN screen_lists l USING (list_id)"
         " ORDER BY 1, 2, 3, 4"},
        {"alerts",
         "SELECT h.row_id, h.entity_id, h.entity_version, a.kind FROM screen_alerts a"
         " JOIN screen_hits h USING (hit_id) ORDER BY 1, 2, 3, 4"},
        {"decisions", "SELECT hit_id, decision, reason FROM screen_decisions ORDER BY 1, 2"},
        {"jobs", "SELECT list_id, status, rows_total, rows_done, hit_count FROM screen_jobs"},
        {"lists", "SELECT name, row_count, checked_seq FROM screen_lists ORDER BY name"},
        {"users",
         "SELECT name, role, clearance, service, revoked <> '' FROM server_users ORDER BY name"},
        {"live tokens",
         "SELECT user_name, COUNT(*) FROM server_tokens WHERE revoked = '' GROUP BY 1"},
        {"tokens", "SELECT user_name, COUNT(*) FROM server_tokens GROUP BY 1 ORDER BY 1"},
        {"agreements", "SELECT partner, hash FROM exchange_agreements ORDER BY partner"},
        {"published", "SELECT collection, COUNT(*) FROM exchange_objects GROUP BY 1 ORDER BY 1"},
        {"migrations", "SELECT component, version FROM schema_migrations ORDER BY 1, 2"},
    };
    std::map<std::string, std::string> out;
    for (const auto& [name, sql] : queries) {
      auto rows = db.Query(sql);
      EXPECT_TRUE(rows.ok()) << name << ": " << rows.status().ToString();
      if (!rows.ok()) continue;
      std::string text;
      for (const SqlRow& row : *rows) {
        for (size_t i = 0; i < row.values.size(); ++i)
          text += row.Text(i) + (i + 1 < row.values.size() ? "|" : "\n");
      }
      out[name] = text;
    }
    return out;
  }

  Folder dir_;
};

TEST_F(CrashPointsTest, EveryPointRecoversToTheStoreOfAnUninterruptedRun) {
  const std::string clean_db = dir_.File("clean.db");
  ASSERT_EQ(RunWorkflow(clean_db, ""), 0);
  const auto expected = Fingerprint(clean_db);
  ASSERT_FALSE(expected.at("hits").empty()) << "the workflow must raise hits to test anything";
  ASSERT_FALSE(expected.at("alerts").empty()) << "the workflow must raise alerts";
  ASSERT_FALSE(expected.at("published").empty());
  ASSERT_EQ(expected.at("feed gaps"), "0\n");

  // A point is tried at its first pass, and at a later one where it is passed several times.
  std::vector<std::string> targets;
  for (const CrashPointInfo& point : CrashPoints()) {
    EXPECT_TRUE(point.tested_in == CrashPointInfo::kOneNodeRecoveryTest ||
                point.tested_in == CrashPointInfo::kTwoNodeRecoveryTest ||
                point.tested_in == CrashPointInfo::kFollowupRecoveryTest)
        << point.name << " is tested in " << point.tested_in << ", which is not a recovery test";
    if (point.tested_in == CrashPointInfo::kOneNodeRecoveryTest) targets.emplace_back(point.name);
  }
  targets.insert(targets.end(), {"import.batch_written:2", "import.batch_committed:2",
                                 "screen.batch_committed:2", "migration.after_commit:3"});
  int tried = 0;
  for (const std::string& target : targets) {
    SCOPED_TRACE(target);
    const std::string db = dir_.File("crash-" + std::to_string(tried++) + ".db");
    // The same node: its record-id key, so that imported records get the same ids.
    std::filesystem::copy_file(clean_db + ".id-key", db + ".id-key");
    EXPECT_EQ(RunWorkflow(db, target), 1) << target << " did not fire exactly once";
    const auto got = Fingerprint(db);
    for (const auto& [name, text] : expected) {
      EXPECT_EQ(got.at(name), text) << target << ": " << name << " differs from a clean run";
    }
    Outcome verify = Run({"--db", db, "audit", "verify"}, "");
    EXPECT_EQ(verify.exit_code, 0) << target << ": audit verify\n" << verify.output;
  }
  EXPECT_GE(CrashPoints().size(), 20u);
}

}  // namespace
}  // namespace entente
