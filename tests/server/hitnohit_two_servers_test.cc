// Hit/no-hit over two `entente serve` processes on one store (PostgreSQL in the pg: run, one
// SQLite file in the other): a record imported through server A is answered as a hit, in
// plaintext and in privacy-preserving mode, by queries to server B.
// - On PostgreSQL both servers poll every minute ([match] refresh_ms = 60000), and B answers
//   from its engine without catching up in the request while change notifications arrive
//   (exchange/hitnohit/engine_follower.h): only the notification (LISTEN/NOTIFY) can explain a
//   hit within seconds.
// - SQLite has no notifications: B polls every 300 ms and each request catches up first.
// Before the import, B has answered no-hit for the same name (its engine is built and followed).
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "../temp_dir.h"
#include "../test_store_target.h"
#include "auth/user_store.h"
#include "exchange/exchange_store.h"
#include "exchange/hitnohit/hitnohit_store.h"
#include "exchange/hitnohit/protocol.h"
#include "exchange/wire.h"
#include "model/codec.h"
#include "run_entente.h"
#include "server_test_util.h"
#include "store/database.h"
#include "store/record_store.h"

namespace entente::server::testing {
namespace {

namespace hnh = entente::exchange::hitnohit;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr char kSecret[] = "DGSN-DGSI hit/no-hit secret of the two-server test";

class HitNoHitTwoServers : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = entente::testing::MakeTempDir("entente-hnh-two-servers");
    store_ = entente::testing::StoreTarget(dir_ + "/ma.db");
    pki_ = dir_ + "/pki";
    ASSERT_TRUE(CreateCa(pki_, "test CA").ok());
    ASSERT_TRUE(IssueCertificate(pki_, "server",
                                 {"localhost", CertificateKind::kServer, {"localhost"},
                                  {"127.0.0.1"}, 30})
                    .ok());
    ASSERT_TRUE(
        IssueCertificate(pki_, "dgsi", {"dgsi", CertificateKind::kClient, {}, {}, 30}).ok());
    std::ofstream(dir_ + "/secret") << kSecret << "\n";
    {
      auto db = Database::Open(store_);
      ASSERT_TRUE(db.ok()) << db.status().ToString();
      ASSERT_TRUE(RecordStore::Migrate(**db).ok());
      ASSERT_TRUE(hnh::HitNoHitStore::Migrate(**db).ok());
      ASSERT_TRUE(UserStore::Migrate(**db).ok());
      ASSERT_TRUE(RecordStore(db->get()).PutAll({MakePerson("Youssef El Idrissi", Tlp::kGreen)})
                      .ok());
      auto agreement = exchange::ParseAgreement(
          "[partner]\nname = \"dgsi\"\nservice = \"DGSI\"\nprincipals = [\"dgsi\"]\n"
          "[share]\ncategories = [\"terrorism\"]\n",
          "test agreement");
      ASSERT_TRUE(agreement.ok()) << agreement.status().ToString();
      ASSERT_TRUE(exchange::ExchangeStore(db->get()).PutAgreement(*agreement).ok());
      ASSERT_TRUE(hnh::HitNoHitStore(db->get())
                      .PutSettingsText(*agreement, "[hitnohit]\nprivacy = \"allowed\"\n"
                                                   "secret_file = \"" +
                                                       dir_ + "/secret\"\n")
                      .ok());
      auto key = TokenKey::LoadOrCreate(dir_ + "/token-key");
      ASSERT_TRUE(key.ok()) << key.status().ToString();
      auto made = UserStore(db->get(), *key)
                      .AddUser({"test", "local", "DGSN-DGST"},
                               {"ana", Role::kAnalyst, Tlp::kRed, "DGSN-DGST", ""});
      ASSERT_TRUE(made.ok()) << made.status().ToString();
      token_ = made->token;
    }
    const bool pg = entente::testing::TestStoreIsPostgres();
    std::ofstream(dir_ + "/serve.toml")
        << "[server]\nservice = \"DGSN-DGST\"\ntoken_key_file = \"" << dir_ << "/token-key\"\n"
        << "[tls]\ncert = \"" << pki_ << "/server.crt\"\nkey = \"" << pki_
        << "/server.key\"\nclient_ca = \"" << pki_ << "/ca.crt\"\n"
        << "[match]\nrefresh_ms = " << (pg ? 60000 : 300) << "\n"
        << "[[partners]]\nname = \"dgsi\"\nservice = \"DGSI\"\ncert_cn = \"dgsi\"\n"
        << "clearance = \"AMBER\"\n";
    auto keys = hnh::PrivacyKeys::Derive(kSecret);
    ASSERT_TRUE(keys.ok());
    keys_ = std::make_unique<hnh::PrivacyKeys>(*keys);
  }

  void TearDown() override {
    for (pid_t pid : pids_) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Starts `entente serve` (HTTPS, a free port); returns its port.
  int Serve() {
    const std::string out = dir_ + "/serve" + std::to_string(pids_.size()) + ".out";
    pids_.push_back(SpawnEntente({"--db", store_, "serve", "--config", dir_ + "/serve.toml",
                                  "--listen", "127.0.0.1:0", "--no-worker", "--log-level", "warn"},
                                 out, out + ".err"));
    const int port = PortWhenServing(out);
    if (port != 0) return port;
    ADD_FAILURE() << "server did not start: " << ReadLog(out + ".err");
    return 0;
  }

  std::unique_ptr<httplib::Client> Client(int port, bool partner) {
    auto client = partner ? std::make_unique<httplib::Client>(
                                "https://127.0.0.1:" + std::to_string(port), pki_ + "/dgsi.crt",
                                pki_ + "/dgsi.key")
                          : std::make_unique<httplib::Client>("https://127.0.0.1:" +
                                                              std::to_string(port));
    client->set_ca_cert_path((pki_ + "/ca.crt").c_str());
    client->enable_server_certificate_verification(true);
    client->set_read_timeout(60);
    return client;
  }

  // B's answer to one query for `name` ("hit", "no-hit", or what went wrong).
  std::string Ask(int port, const std::string& name, bool private_mode) {
    std::vector<hnh::AskQuery> queries = {{"1", name, std::nullopt, "", ""}};
    hnh::PreparedRequest prepared = private_mode ? hnh::BuildPrivateRequest(*keys_, queries)
                                                 : hnh::BuildPlainRequest(queries);
    auto result =
        Client(port, true)->Post(hnh::kHitNoHitPath, prepared.body, "application/json");
    if (!result) return "request failed: " + httplib::to_string(result.error());
    if (result->status != 200) return "HTTP " + std::to_string(result->status) + result->body;
    auto answers = hnh::ParseResponse(result->body);
    if (!answers.ok() || answers->size() != 1) return "bad answer: " + result->body;
    return (*answers)[0].result;
  }

  // Imports `person` through the server on `port` (an analyst's upload); true once done.
  bool ImportThrough(int port, const Entity& person) {
    httplib::Headers headers = {{"Authorization", "Bearer " + token_}};
    const std::string jsonl = nlohmann::json::parse(EntityToJson(person)).dump() + "\n";
    auto started = Client(port, false)->Post("/api/v1/imports?format=jsonl&filename=p.jsonl",
                                             headers, jsonl, "application/x-ndjson");
    if (!started || started->status != 202) {
      ADD_FAILURE() << "import not accepted: " << (started ? started->body : "no answer");
      return false;
    }
    const std::string job = nlohmann::json::parse(started->body)["id"].get<std::string>();
    for (int i = 0; i < 600; ++i) {
      auto state = Client(port, false)->Get(("/api/v1/imports/" + job).c_str(), headers);
      if (state && nlohmann::json::parse(state->body).value("state", "") == "done") return true;
      std::this_thread::sleep_for(milliseconds(20));
    }
    ADD_FAILURE() << "import did not finish";
    return false;
  }

  std::string dir_, store_, pki_, token_;
  std::unique_ptr<hnh::PrivacyKeys> keys_;
  std::vector<pid_t> pids_;
};

TEST_F(HitNoHitTwoServers, ARecordImportedThroughOneServerIsAHitOnTheOther) {
  const int a = Serve();
  const int b = Serve();
  ASSERT_NE(a, 0);
  ASSERT_NE(b, 0);
  // B's engine is built (plaintext and for the secret) and followed from here on.
  ASSERT_EQ(Ask(b, "Youssef El Idrissi", true), "hit");
  ASSERT_EQ(Ask(b, "Youssef El Idrissi", false), "hit");
  ASSERT_EQ(Ask(b, "Samira Benkirane", true), "no-hit");
  ASSERT_EQ(Ask(b, "Samira Benkirane", false), "no-hit");
  // Let B's follower see its first catch-up through (it then stops catching up in requests on
  // PostgreSQL).
  std::this_thread::sleep_for(milliseconds(500));

  ASSERT_TRUE(ImportThrough(a, MakePerson("Samira Benkirane", Tlp::kGreen)));
  const auto committed = Clock::now();
  std::string private_answer, plain_answer;
  while (Clock::now() - committed < std::chrono::seconds(10)) {
    private_answer = Ask(b, "Samira Benkirane", true);
    plain_answer = Ask(b, "Samira Benkirane", false);
    if (private_answer == "hit" && plain_answer == "hit") break;
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_EQ(private_answer, "hit");
  EXPECT_EQ(plain_answer, "hit");
  EXPECT_LT(Clock::now() - committed, std::chrono::seconds(5));
  // A name it does not hold stays a no-hit on both servers.
  EXPECT_EQ(Ask(a, "Pierre Lambert", true), "no-hit");
  EXPECT_EQ(Ask(b, "Pierre Lambert", false), "no-hit");
}

}  // namespace
}  // namespace entente::server::testing
