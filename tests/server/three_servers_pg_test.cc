// Scale-out over one store with real processes: three `entente serve` and two `entente worker`
// (PostgreSQL in the pg: run, one SQLite file in the other).
// - A record imported through server A is matched by server C. On PostgreSQL the servers' poll
//   is set to a minute, so only the change notification (LISTEN/NOTIFY) can explain a match
//   within seconds; SQLite has none and polls every 300 ms.
// - A 50,000-row screening list uploaded to server A is screened by A and the two workers while
//   one worker is killed with SIGKILL holding a lease and the other is stopped and started
//   again; its hits are exactly those of one `entente jobs start` process on a SQLite file of
//   the same watchlist, none missing, none doubled, and its progress reads the same on B and C.
// - Audited requests sent to the three servers at once leave one hash chain that `entente audit
//   verify` accepts, and that it rejects once an entry is altered.
// - The request rate limit and the sign-in throttle are one across the three servers: requests
//   and failed sign-ins spread over them are counted together, as by one server.
// The servers run with --no-worker, so that the two worker processes are the ones sharing the
// job with A's own runner.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "../temp_dir.h"
#include "../test_store_target.h"
#include "auth/user_store.h"
#include "model/codec.h"
#include "run_entente.h"
#include "server_test_util.h"
#include "store/database.h"
#include "store_queries.h"

namespace entente::server::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kRows = 50000;
constexpr int kWatchlist = 1200;

const char* const kGiven[] = {"Youssef", "Fatima", "Mohamed", "Khadija", "Omar",   "Salma",
                              "Karim",   "Nadia",  "Hicham",  "Leila",   "Rachid", "Samira",
                              "Anas",    "Imane",  "Tarik",   "Zineb",   "Adil",   "Houda",
                              "Mehdi",   "Sanaa",  "Bilal",   "Asmae",   "Driss",  "Ghita"};
const char* const kFamily[] = {
    "Benali",    "Alaoui",   "Tazi",     "Berrada",    "Fassi",     "Idrissi",   "Chraibi",
    "Lahlou",    "Bennani",  "Sebti",    "Kettani",    "Guessous",  "Naciri",    "Bouzidi",
    "El Amrani", "Ouazzani", "Sqalli",   "Filali",     "Hajji",     "Mernissi",  "Tahiri",
    "Zerhouni",  "Skalli",   "Jettou",   "Benjelloun", "Lamrani",   "Cherkaoui", "Raji",
    "Amrani",    "Slaoui",   "Mansouri", "Haddad",     "Bakkali",   "Kabbaj",    "Lazrak",
    "Sefrioui",  "Tber",     "Rifi",     "Dukkali",    "Hamdouchi", "Saadi",     "Boukhari",
    "Karimi",    "Ziani",    "Alami",    "Belhaj",     "Mouline",   "Squalli",   "Ghazi",
    "Ennaji"};
constexpr int kGivenCount = sizeof kGiven / sizeof *kGiven;
constexpr int kFamilyCount = sizeof kFamily / sizeof *kFamily;

std::string WatchName(int i) {
  return std::string(kGiven[i % kGivenCount]) + " " + kFamily[(i / kGivenCount) % kFamilyCount];
}

// One spawned `entente` process.
struct Child {
  pid_t pid = 0;
  std::string out;
};

Child Spawn(const std::vector<std::string>& args, const std::string& out) {
  return {SpawnEntente(args, out, out + ".err"), out};
}

class ThreeServersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = entente::testing::MakeTempDir("entente-three-servers");
    store_ = entente::testing::StoreTarget(dir_ + "/store.db");
    log_ = dir_ + "/cli.log";
    const std::string watchlist = dir_ + "/watchlist.csv";
    {
      std::ofstream out(watchlist);
      out << "id,name\n";
      for (int i = 0; i < kWatchlist; ++i) out << "W" << i << "," << WatchName(i) << "\n";
    }
    ASSERT_EQ(RunEntente({"--db", store_, "import", "--format", "csv", watchlist}, log_), 0)
        << ReadLog(log_);
    // The control store takes the store's record-id key, so that the same rows get the same
    // (keyed) ids in both and their hits can be compared by entity id.
    const char* shared_key = std::getenv("ENTENTE_ID_KEY_FILE");
    const std::string key_file = shared_key ? shared_key : store_ + ".id-key";
    ASSERT_EQ(RunEntente({"--db", dir_ + "/control.db", "import", "--id-key-file", key_file,
                          "--format", "csv", watchlist},
                         log_),
              0)
        << ReadLog(log_);
    MakeUsers();
    WriteConfig();
  }

  void TearDown() override {
    for (Child& child : children_) {
      if (child.pid == 0) continue;
      kill(child.pid, SIGTERM);
      waitpid(child.pid, nullptr, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  void MakeUsers() {
    auto db = Database::Open(store_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE(UserStore::Migrate(**db).ok());
    auto key = TokenKey::LoadOrCreate(dir_ + "/token-key");
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    UserStore users(db->get(), *key);
    for (auto [name, role] : {std::pair{"ana", Role::kAnalyst}, {"sam", Role::kScreeningOfficer}}) {
      auto made =
          users.AddUser({"test", "local", "DGSN-DGST"}, {name, role, Tlp::kRed, "DGSN-DGST", ""});
      ASSERT_TRUE(made.ok()) << made.status().ToString();
      tokens_[name] = made->token;
    }
  }

  void WriteConfig() {
    const bool pg = entente::testing::TestStoreIsPostgres();
    std::ofstream out(dir_ + "/serve.toml");
    out << "[server]\ntoken_key_file = \"" << dir_ << "/token-key\"\nservice = \"DGSN-DGST\"\n"
        << "[limits]\nrate_per_minute = " << rate_per_minute_ << "\nrate_burst = " << rate_burst_
        << "\n"
        << "[match]\nrefresh_ms = " << (pg ? 60000 : 300) << "\n";
  }

  // Starts `entente serve` (plain HTTP, a free port); returns its port.
  int Serve() {
    const std::string out = dir_ + "/serve" + std::to_string(children_.size()) + ".out";
    children_.push_back(Spawn({"--db", store_, "serve", "--config", dir_ + "/serve.toml", "--http",
                               "--listen", "127.0.0.1:0", "--no-worker"},
                              out));
    const std::string marker = "serving on http://127.0.0.1:";
    for (int i = 0; i < 1200; ++i) {
      const std::string text = ReadLog(out);
      size_t at = text.find(marker);
      if (at != std::string::npos) return std::stoi(text.substr(at + marker.size()));
      std::this_thread::sleep_for(milliseconds(50));
    }
    ADD_FAILURE() << "server did not start: " << ReadLog(out + ".err");
    return 0;
  }

  Child& Worker(const std::string& name) {
    children_.push_back(
        Spawn({"--db", store_, "worker", "--lease-ms", "2000", "--poll-ms", "50", "--threads", "1"},
              dir_ + "/" + name + ".out"));
    return children_.back();
  }

  std::pair<int, std::string> Call(int port, const std::string& method, const std::string& path,
                                   const std::string& user, const std::string& body = "",
                                   const std::string& type = "application/json") {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(60);
    httplib::Headers headers = {{"Authorization", "Bearer " + tokens_.at(user)}};
    auto result = method == "POST" ? client.Post(path.c_str(), headers, body, type.c_str())
                                   : client.Get(path.c_str(), headers);
    if (!result) return {-1, httplib::to_string(result.error())};
    return {result->status, result->body};
  }

  int64_t QueryInt(const std::string& sql) { return QueryCount(store_, sql); }

  // Waits for `pid`; true when it exited with 0.
  static bool ExitedCleanly(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }

  int rate_per_minute_ = 100000, rate_burst_ = 10000;
  std::string dir_, store_, log_;
  std::map<std::string, std::string> tokens_;
  std::vector<Child> children_;
};

// 4 in 10 rows are a watchlist name (some with a letter dropped), the rest names that are not.
void WriteList(const std::string& path) {
  std::ofstream out(path);
  out << "id,name\n";
  for (int i = 0; i < kRows; ++i) {
    std::string name = WatchName((i * 7919) % kWatchlist);
    switch (i % 10) {
      case 0:
      case 1:
      case 2:
        break;
      case 3:
        name.erase(name.size() - 2, 1);
        break;
      default:
        name = std::string("Xavier ") + kFamily[i % kFamilyCount] + "-Vandermolen " +
               std::to_string(i);
    }
    out << "R" << i << "," << name << "\n";
  }
}

TEST_F(ThreeServersTest, ImportMatchScreeningAndAuditAcrossThreeServersAndTwoWorkers) {
  const int a = Serve(), b = Serve(), c = Serve();
  ASSERT_TRUE(a && b && c);

  // --- A screening job uploaded to A, shared by A's runner and two workers. ---
  const std::string list = dir_ + "/list.csv";
  WriteList(list);
  ASSERT_EQ(
      RunEntente({"--db", dir_ + "/control.db", "jobs", "start", "--list", "big", "--input", list},
                 log_),
      0)
      << ReadLog(log_);
  const std::multiset<HitKey> expected = StoredHits(dir_ + "/control.db");
  ASSERT_GT(expected.size(), static_cast<size_t>(kRows / 4));

  Child w1 = Worker("w1");
  Child w2 = Worker("w2");
  std::ifstream in(list);
  std::string csv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto [up_status, up_body] =
      Call(a, "POST", "/api/v1/screening/lists?name=big", "sam", csv, "text/csv");
  ASSERT_EQ(up_status, 202) << up_body;
  const int64_t job = ParseJson(up_body)["job_id"].get<int64_t>();

  // w1 is killed with SIGKILL once it has finished a chunk and holds the lease of another.
  const std::string held =
      "SELECT COUNT(*) FROM screen_job_chunks WHERE state = 'leased' AND"
      " lease_pid = " +
      std::to_string(w1.pid);
  bool killed = false;
  for (int i = 0; i < 6000 && !killed; ++i) {
    if (ReadLog(w1.out + ".err").find(" chunk ") != std::string::npos && QueryInt(held) == 1) {
      ASSERT_EQ(kill(w1.pid, SIGKILL), 0);
      killed = true;
    } else {
      std::this_thread::sleep_for(milliseconds(10));
    }
  }
  ASSERT_TRUE(killed) << "w1 never held a second chunk: " << ReadLog(w1.out + ".err");
  int w1_status = 0;
  waitpid(w1.pid, &w1_status, 0);
  EXPECT_TRUE(WIFSIGNALED(w1_status) && WTERMSIG(w1_status) == SIGKILL);
  for (Child& child : children_)
    if (child.pid == w1.pid) child.pid = 0;
  const int64_t done_at_kill =
      QueryInt("SELECT COUNT(*) FROM screen_job_chunks WHERE state = 'done' AND job_id = " +
               std::to_string(job));
  const int64_t chunks =
      QueryInt("SELECT COUNT(*) FROM screen_job_chunks WHERE job_id = " + std::to_string(job));
  EXPECT_LT(done_at_kill, chunks) << "killed after the job had finished";

  // w2 is stopped (it finishes its chunk) and started again, as systemd would.
  kill(w2.pid, SIGTERM);
  EXPECT_TRUE(ExitedCleanly(w2.pid)) << ReadLog(w2.out + ".err");
  for (Child& child : children_)
    if (child.pid == w2.pid) child.pid = 0;
  Worker("w2-again");

  // The progress reads the same from every server, and the job finishes.
  const std::string job_path = "/api/v1/screening/jobs/" + std::to_string(job);
  nlohmann::json status;
  for (int i = 0; i < 3000; ++i) {
    status = ParseJson(Call(b, "GET", job_path, "sam").second);
    if (status.value("status", "") != "running") break;
    std::this_thread::sleep_for(milliseconds(100));
  }
  ASSERT_EQ(status["status"], "done") << status.dump();
  nlohmann::json on_c = ParseJson(Call(c, "GET", job_path, "sam").second);
  EXPECT_EQ(on_c["rows_done"], kRows);
  EXPECT_EQ(on_c["chunks"]["done"], chunks);
  EXPECT_EQ(on_c["hits"], static_cast<int64_t>(expected.size()));
  EXPECT_EQ(status["hits"], on_c["hits"]);

  const std::multiset<HitKey> got = StoredHits(store_);
  EXPECT_EQ(got.size(), expected.size());
  EXPECT_TRUE(got == expected) << "hits missing or doubled";
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM (SELECT row_idx, entity_id FROM screen_hits GROUP BY"
                     " row_idx, entity_id HAVING COUNT(*) > 1) AS doubled"),
            0);
  EXPECT_EQ(QueryInt("SELECT hit_count FROM screen_jobs WHERE job_id = " + std::to_string(job)),
            static_cast<int64_t>(expected.size()));
  EXPECT_GE(QueryInt("SELECT MAX(attempts) FROM screen_job_chunks"), 2)
      << "the chunk w1 died holding was not taken again";

  // --- An import through A is matched on C (and B) within seconds. ---
  Entity person = MakePerson("Zephyrine Quatremaine", Tlp::kGreen);
  const std::string jsonl = ParseJson(EntityToJson(person)).dump() + "\n";
  auto [imp_status, imp_body] = Call(a, "POST", "/api/v1/imports?format=jsonl&filename=z.jsonl",
                                     "ana", jsonl, "application/x-ndjson");
  ASSERT_EQ(imp_status, 202) << imp_body;
  const std::string import_path = "/api/v1/imports/" + ParseJson(imp_body)["id"].get<std::string>();
  nlohmann::json imported;
  for (int i = 0; i < 600; ++i) {
    imported = ParseJson(Call(a, "GET", import_path, "ana").second);
    if (imported.value("state", "") == "done") break;
    std::this_thread::sleep_for(milliseconds(20));
  }
  ASSERT_EQ(imported["state"], "done") << imported.dump();
  const auto committed = Clock::now();
  for (int port : {c, b}) {
    bool found = false;
    nlohmann::json answer;
    while (!found && Clock::now() - committed < std::chrono::seconds(10)) {
      answer = ParseJson(Call(port, "POST", "/api/v1/match", "ana",
                              R"({"name": "Zephyrine Quatremaine", "top": 3})")
                             .second);
      for (const auto& item : answer.value("results", nlohmann::json::array()))
        found = found || (answer["engine"] == "match-index" && item["entity_id"] == person.meta.id);
      if (!found) std::this_thread::sleep_for(milliseconds(20));
    }
    EXPECT_TRUE(found) << "server on port " << port << " did not match the import: " << answer;
    EXPECT_LT(Clock::now() - committed, std::chrono::seconds(5));
  }

  // --- Audited requests on the three servers at once: one chain. ---
  const int64_t audit_before = QueryInt("SELECT COUNT(*) FROM audit_log");
  const int64_t last_seq = QueryInt("SELECT MAX(seq) FROM audit_log");
  constexpr int kThreads = 6, kCalls = 15;
  std::vector<std::thread> threads;
  std::atomic<int> ok_calls{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const int port = t % 3 == 0 ? a : t % 3 == 1 ? b : c;
      for (int i = 0; i < kCalls; ++i) {
        auto [s, body] = Call(port, "POST", "/api/v1/match", "ana",
                              R"({"name": ")" + WatchName(t * kCalls + i) + R"("})");
        if (s == 200) ok_calls++;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok_calls.load(), kThreads * kCalls);
  EXPECT_GE(QueryInt("SELECT COUNT(*) FROM audit_log") - audit_before, kThreads * kCalls);
  ASSERT_EQ(RunEntente({"--db", store_, "audit", "verify"}, log_), 0) << ReadLog(log_);
  EXPECT_NE(ReadLog(log_).find("audit trail OK"), std::string::npos) << ReadLog(log_);
  const int64_t tampered = last_seq + 7;
  {
    auto db = Database::Open(store_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(
        (*db)
            ->Execute("UPDATE audit_log SET target = 'someone' WHERE seq = ?", {SqlValue{tampered}})
            .ok());
  }
  EXPECT_EQ(RunEntente({"--db", store_, "audit", "verify"}, log_), 6) << ReadLog(log_);
  EXPECT_NE(ReadLog(log_).find("entry " + std::to_string(tampered)), std::string::npos)
      << ReadLog(log_);
}

// A burst of 6 and 6 a minute: 12 match requests spread over three servers get 6 answers (7
// if a token came back meanwhile), not 12. Nine failed sign-ins spread over them (3 each, below
// one server's 5 free failures) end in 429 once the fifth is passed.
TEST_F(ThreeServersTest, OneRateLimitAndOneSignInThrottleAcrossThreeServers) {
  rate_per_minute_ = 6;
  rate_burst_ = 6;
  WriteConfig();
  const int ports[] = {Serve(), Serve(), Serve()};
  ASSERT_TRUE(ports[0] && ports[1] && ports[2]);
  int answered = 0, limited = 0;
  for (int i = 0; i < 12; ++i) {
    auto [status, body] = Call(ports[i % 3], "POST", "/api/v1/match", "ana",
                               R"({"name": ")" + WatchName(i) + R"("})");
    if (status == 200) ++answered;
    if (status == 429) ++limited;
    EXPECT_TRUE(status == 200 || status == 429) << status << " " << body;
  }
  EXPECT_GE(answered, 6);
  EXPECT_LE(answered, 7);
  EXPECT_EQ(answered + limited, 12);

  int first_refused = 0;
  for (int i = 1; i <= 9 && first_refused == 0; ++i) {
    httplib::Client client("127.0.0.1", ports[i % 3]);
    auto result = client.Post("/api/v1/session", R"({"user": "nobody", "password": "wrong-guess"})",
                              "application/json");
    ASSERT_TRUE(result) << httplib::to_string(result.error());
    if (result->status == 429) {
      first_refused = i;
      EXPECT_FALSE(result->get_header_value("Retry-After").empty());
    } else {
      EXPECT_EQ(result->status, 401) << result->body;
    }
  }
  EXPECT_NE(first_refused, 0) << "nine failures over three servers were never throttled";
  if (first_refused) {
    EXPECT_GE(first_refused, 6) << "refused before five failures were counted";
  }
}

}  // namespace
}  // namespace entente::server::testing
