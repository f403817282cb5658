// The fixture of the screening tests that run the real `entente` binary (ENTENTE_BINARY): a
// temporary folder, stores named through StoreTarget (SQLite, or PostgreSQL in the pg: runs),
// a watchlist of 200 persons, lists of applicants, runs of the binary (waited for or in the
// background) and the hits and alerts of a store as comparable sets.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "../test_store_target.h"
#include "screen/alerts.h"
#include "screen/hit_review.h"
#include "screen/screening_job.h"
#include "screen_test_util.h"

namespace entente::screen {

using testing::OpenDb;
using testing::Person;

// Test data: names of the watchlist and of the applicants.
inline const char* kGiven[] = {"Mohamed", "Karim",  "Youssef", "Fatima", "Nadia",
                               "Rachid",  "Samir",  "Leila",   "Omar",   "Hassan",
                               "Amina",   "Khalid", "Said",    "Zineb",  "Mustapha",
                               "Driss",   "Hamid",  "Latifa",  "Aziz",   "Malika"};
inline const char* kFamily[] = {"El Idrissi", "Bensaid", "Ouazzani",   "Cherkaoui", "Benali",
                                "Tazi",       "Alaoui",  "Bennani",    "Fassi",     "Berrada",
                                "Chraibi",    "Lahlou",  "Naciri",     "Sqalli",    "Tahiri",
                                "Zniber",     "Kettani", "Benjelloun", "Guessous",  "Lazrak"};
inline const char* kOtherFamily[] = {"Dubois", "Martin", "Bernard", "Petit",   "Durand",
                                     "Leroy",  "Moreau", "Simon",   "Laurent", "Michel"};

inline std::string BirthDate(int i) {
  char text[16];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02d", 1950 + i % 50, 1 + i % 12, 1 + i % 28);
  return text;
}

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class ScreenCliTest : public ::testing::Test {
 protected:
  std::string Db(const std::string& name) const {
    return ::entente::testing::StoreTarget(dir_.File(name));
  }

  // Runs entente with `args` and waits for it.
  CliRun Entente(const std::vector<std::string>& args) {
    pid_t pid = Spawn(args, dir_.File("out.txt"), dir_.File("err.txt"));
    int status = 0;
    waitpid(pid, &status, 0);
    CliRun run;
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = Slurp(dir_.File("out.txt"));
    run.err = Slurp(dir_.File("err.txt"));
    return run;
  }

  // Starts entente with `args` (stdout and stderr to files) and returns at once. `crash_at`
  // sets ENTENTE_CRASH_AT in the child (common/crash_point.h).
  pid_t Spawn(const std::vector<std::string>& args, const std::string& out, const std::string& err,
              const std::string& crash_at = "") {
    pid_t pid = fork();
    if (pid == 0) {
      if (!crash_at.empty()) setenv("ENTENTE_CRASH_AT", crash_at.c_str(), 1);
      if (!freopen(out.c_str(), "w", stdout) || !freopen(err.c_str(), "w", stderr)) _exit(127);
      std::vector<char*> argv;
      // $ENTENTE_TEST_BINARY overrides the built binary (to test another build of it).
      const char* override_binary = std::getenv("ENTENTE_TEST_BINARY");
      std::string binary = override_binary && *override_binary ? override_binary : ENTENTE_BINARY;
      argv.push_back(binary.data());
      std::vector<std::string> copy = args;
      for (auto& arg : copy) argv.push_back(arg.data());
      argv.push_back(nullptr);
      setenv("ENTENTE_USER", "alice", 1);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    return pid;
  }

  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // A watchlist of 200 persons, and lists of applicants: a third carry a listed name.
  void MakeStore(const std::string& path) {
    auto db = OpenDb(path);
    std::vector<Entity> people;
    for (int i = 0; i < 200; ++i) {
      std::string name = std::string(kGiven[i % 20]) + " " + kFamily[(i / 20 + i) % 20];
      people.push_back(Person("W-" + std::to_string(i), {name}, BirthDate(i)));
    }
    testing::Put(*db, people);
  }

  void MakeList(const std::string& path, int rows, int salt) {
    std::ofstream out(path);
    out << "id,name,birth_date,nationality\n";
    for (int i = 0; i < rows; ++i) {
      int k = i * 7 + salt;
      std::string name;
      std::string date;
      if (i % 3 == 0) {
        int w = k % 200;
        name = std::string(kGiven[w % 20]) + " " + kFamily[(w / 20 + w) % 20];
        date = BirthDate(w);
      } else {
        name = std::string(kGiven[k % 20]) + " " + kOtherFamily[k % 10];
        date = BirthDate(k + 3);
      }
      out << "R-" << salt << "-" << i << "," << name << "," << date << ",MA\n";
    }
  }

  int64_t QueryInt(const std::string& db_path, const std::string& sql) {
    auto db = Database::Open(db_path);
    if (!db.ok()) return -1;
    auto rows = (*db)->Query(sql);
    if (!rows.ok() || rows->empty()) return -1;
    return (*rows)[0].Int(0);
  }

  using HitKey = std::tuple<std::string, std::string, std::string, int, std::string>;
  std::multiset<HitKey> Hits(const std::string& db_path) {
    auto db = OpenDb(db_path);
    std::multiset<HitKey> keys;
    auto hits = ListHits(*db, HitFilter{});
    EXPECT_TRUE(hits.ok());
    for (const auto& h : *hits) {
      keys.insert({h.list_name, h.row_id, h.entity_id, h.entity_version, h.status});
    }
    return keys;
  }

  using AlertKey = std::tuple<std::string, std::string, std::string, int, std::string>;
  std::multiset<AlertKey> Alerts(const std::string& db_path) {
    auto db = OpenDb(db_path);
    std::multiset<AlertKey> keys;
    auto alerts = ListAlerts(*db, AlertFilter{});
    EXPECT_TRUE(alerts.ok());
    for (const auto& a : *alerts) {
      keys.insert({a.list_name, a.row_id, a.entity_id, a.entity_version, a.kind});
    }
    return keys;
  }

  void Copy(const std::string& from, const std::string& to) {
    ::entente::testing::CopyStore(from, to);
  }

  // Waits (polling, no fixed time) until `done` or the child exits.
  bool WaitFor(pid_t pid, const std::function<bool()>& done) {
    for (int attempt = 0; attempt < 6000; ++attempt) {
      if (done()) return true;
      if (waitpid(pid, nullptr, WNOHANG) == pid) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  testing::TempDir dir_;
};

}  // namespace entente::screen
