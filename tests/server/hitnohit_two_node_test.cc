// Hit/no-hit end to end between two real nodes on loopback: Morocco (DGSN-DGST) runs
// `entente serve` with mutual TLS; France (DGSI) asks with the `entente` command and the
// asking library, from its own store. Covers a hit, a no-hit, an unsearchable record, a
// follow-up approved (the record arrives in France, signed, with Morocco's provenance) and one
// refused, an expired reference, the quota (429), a caller without a partner certificate and one
// whose certificate no trusted CA signed (refused at TLS), and a capture of the
// privacy-preserving request bodies.
//
// Needs the built `entente` binary (ENTENTE_BINARY) and the hit/no-hit routes mounted in
// `entente serve` (exchange::MountHttpRoutes calls hitnohit::MountHitNoHitRoutes); skips with
// a message otherwise.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "../run_entente.h"
#include "../test_store_target.h"
#include "api/hitnohit_routes.h"
#include "common/ids.h"
#include "common/time.h"
#include "exchange/exchange_store.h"
#include "exchange/hitnohit/asking.h"
#include "exchange/hitnohit/hitnohit_store.h"

namespace entente::exchange::hitnohit {
namespace {

namespace fs = std::filesystem;

constexpr char kSecret[] = "DGSN-DGSI hit/no-hit shared secret for the test";

using entente::testing::CommandResult;
using entente::testing::RunEntente;

std::string Quote(const std::string& text) { return "'" + text + "'"; }

Entity Person(const std::string& name, const std::string& dob, ThreatCategory category) {
  Entity e;
  e.type = EntityType::kPerson;
  e.meta.id = RandomId("person");
  e.meta.provenance = {"DGSN-DGST", "dgst-files", e.meta.id, "", ""};
  e.meta.grades = {'B', 2};
  e.meta.category = category;
  e.meta.marking = {Tlp::kAmber, {}};
  e.names.push_back({name, NameKind::kPrimary, "Latn"});
  e.birth_dates.push_back(*PartialDate::Parse(dob));
  e.nationalities = {"MA"};
  e.documents.push_back({"passport", "TA7654321", "MA", "", ""});
  return e;
}

class TwoNodes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(ENTENTE_BINARY)) {
      skip_ = std::string("no entente binary at ") + ENTENTE_BINARY + ": build target entente";
      return;
    }
    dir_ = (fs::temp_directory_path() / ("hitnohit-two-nodes-" + RandomHex(6))).string();
    fs::create_directories(dir_);
    ma_db_ = ::entente::testing::StoreTarget(dir_ + "/ma.db");
    fr_db_ = ::entente::testing::StoreTarget(dir_ + "/fr.db");
    pki_ = dir_ + "/pki";
    CommandResult pki = RunEntente("--service DGSN-DGST pki --dir " + pki_ + " init");
    ASSERT_EQ(pki.exit_code, 0) << pki.output;
    pki = RunEntente("pki --dir " + pki_ + " client dgsi");
    ASSERT_EQ(pki.exit_code, 0) << pki.output;
    // A certificate from a CA Morocco does not trust.
    pki = RunEntente("pki --dir " + dir_ + "/rogue init");
    ASSERT_EQ(pki.exit_code, 0) << pki.output;
    pki = RunEntente("pki --dir " + dir_ + "/rogue client dgsi");
    ASSERT_EQ(pki.exit_code, 0) << pki.output;
    std::ofstream(dir_ + "/secret") << kSecret << "\n";

    // Morocco's store, agreement with DGSI and hit/no-hit settings.
    {
      auto db = Database::Open(ma_db_);
      ASSERT_TRUE(db.ok());
      ASSERT_TRUE(RecordStore::Migrate(**db).ok());
      ASSERT_TRUE(HitNoHitStore::Migrate(**db).ok());
      RecordStore store(db->get());
      terrorist_ = Person("Youssef El Idrissi", "1983-11-05", ThreatCategory::kTerrorism);
      trafficker_ = Person("Karim Bensalah", "1975-01-20", ThreatCategory::kNarcotics);
      other_ = Person("Rachid Tazi", "1969-06-01", ThreatCategory::kOther);
      ASSERT_TRUE(store.PutAll({terrorist_, trafficker_, other_}).ok());
      auto agreement = ParseAgreement(
          "[partner]\nname = \"dgsi\"\nservice = \"DGSI\"\nprincipals = [\"dgsi\"]\n"
          "[share]\ncategories = [\"terrorism\"]\nmax_tlp = \"AMBER\"\ndrop = [\"documents\"]\n",
          "ma agreement");
      ASSERT_TRUE(agreement.ok()) << agreement.status().ToString();
      ExchangeStore xs(db->get());
      ASSERT_TRUE(xs.PutAgreement(*agreement).ok());
      auto key = xs.EnsureNodeKey();
      ASSERT_TRUE(key.ok());
      ma_public_key_ = key->public_key;
      ma_agreement_ = *agreement;
      SetMoroccoSettings("");
    }
    std::ofstream(dir_ + "/ma.toml")
        << "[server]\nservice = \"DGSN-DGST\"\n"
        << "[tls]\ncert = \"" << pki_ << "/server.crt\"\nkey = \"" << pki_
        << "/server.key\"\nclient_ca = \"" << pki_ << "/ca.crt\"\n"
        << "[[partners]]\nname = \"dgsi\"\nservice = \"DGSI\"\ncert_cn = \"dgsi\"\n"
        << "clearance = \"AMBER\"\n";
    StartMorocco();
    if (port_ == 0) return;

    // France's store and its agreement with Morocco (address, certificates, Morocco's key).
    {
      auto db = Database::Open(fr_db_);
      ASSERT_TRUE(db.ok());
      ASSERT_TRUE(RecordStore::Migrate(**db).ok());
      ASSERT_TRUE(HitNoHitStore::Migrate(**db).ok());
      std::ostringstream text;
      text << "[partner]\nname = \"dgsn\"\nservice = \"DGSN-DGST\"\nprincipals = [\"dgsn\"]\n"
           << "url = \"https://127.0.0.1:" << port_ << "/taxii2/\"\n"
           << "public_key = \"" << ma_public_key_ << "\"\n"
           << "ca_cert = \"" << pki_ << "/ca.crt\"\nclient_cert = \"" << pki_
           << "/dgsi.crt\"\nclient_key = \"" << pki_ << "/dgsi.key\"\n"
           << "[share]\ncategories = [\"terrorism\"]\n";
      auto agreement = ParseAgreement(text.str(), "fr agreement");
      ASSERT_TRUE(agreement.ok()) << agreement.status().ToString();
      ASSERT_TRUE(ExchangeStore(db->get()).PutAgreement(*agreement).ok());
      fr_agreement_ = *agreement;
      Status put = HitNoHitStore(db->get()).PutSettingsText(
          *agreement, "[hitnohit]\nprivacy = \"allowed\"\nsecret_file = \"" + dir_ + "/secret\"\n");
      ASSERT_TRUE(put.ok()) << put.ToString();
    }
  }

  static void TearDownTestSuite() {
    if (server_pid_ > 0) {
      kill(server_pid_, SIGTERM);
      int status = 0;
      waitpid(server_pid_, &status, 0);
      server_pid_ = 0;
    }
    if (!dir_.empty()) {
      std::error_code error;
      fs::remove_all(dir_, error);
    }
  }

  static void SetMoroccoSettings(const std::string& extra) {
    auto db = Database::Open(ma_db_);
    ASSERT_TRUE(db.ok());
    Status put = HitNoHitStore(db->get()).PutSettingsText(
        ma_agreement_,
        "[hitnohit]\ncategories = [\"terrorism\", \"narcotics\"]\n"
        "privacy = \"allowed\"\nsecret_file = \"" +
            dir_ + "/secret\"\n" + extra);
    ASSERT_TRUE(put.ok()) << put.ToString();
  }

  static void StartMorocco() {
    const std::string out = dir_ + "/ma.out";
    server_pid_ = fork();
    if (server_pid_ == 0) {
      FILE* f = std::freopen(out.c_str(), "w", stdout);
      (void)f;
      FILE* e = std::freopen((dir_ + "/ma.err").c_str(), "w", stderr);
      (void)e;
      execl(ENTENTE_BINARY, ENTENTE_BINARY, "--db", ma_db_.c_str(), "--service", "DGSN-DGST",
            "serve", "--config", (dir_ + "/ma.toml").c_str(), "--listen", "127.0.0.1:0",
            "--log-level", "warn", static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int wait_idx = 0; wait_idx < 300 && port_ == 0; ++wait_idx) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      std::ifstream in(out);
      std::string line;
      while (std::getline(in, line)) {
        size_t at = line.find("https://127.0.0.1:");
        if (at != std::string::npos) port_ = std::stoi(line.substr(at + 18));
      }
      int status = 0;
      if (waitpid(server_pid_, &status, WNOHANG) == server_pid_) {
        server_pid_ = 0;
        std::ifstream err(dir_ + "/ma.err");
        std::stringstream text;
        text << err.rdbuf();
        FAIL() << "entente serve exited: " << text.str();
      }
    }
    ASSERT_NE(port_, 0) << "entente serve did not print its address";
    // Are the hit/no-hit routes mounted? (401 without a certificate if so, 404 if not.)
    httplib::Client client("https://127.0.0.1:" + std::to_string(port_));
    client.set_ca_cert_path((pki_ + "/ca.crt").c_str());
    auto probe = client.Post(kHitNoHitPath, "{}", "application/json");
    if (probe && probe->status == 404)
      skip_ =
          "entente serve does not mount the hit/no-hit routes yet: "
          "exchange::MountHttpRoutes must call hitnohit::MountHitNoHitRoutes(router)";
  }

  void SetUp() override {
    if (!skip_.empty()) GTEST_SKIP() << skip_;
    ASSERT_NE(port_, 0);
  }

  // `entente` on France's side.
  static CommandResult France(const std::string& args) {
    return RunEntente("--db '" + fr_db_ + "' --service DGSI --user fr-officer " + args);
  }
  static CommandResult MoroccoCli(const std::string& args) {
    return RunEntente("--db '" + ma_db_ + "' --service DGSN-DGST --user ma-liaison " + args);
  }

  // Parses `entente ask` CSV output: id -> {result, reference, band}.
  static std::map<std::string, std::vector<std::string>> Answers(const std::string& output) {
    std::map<std::string, std::vector<std::string>> out;
    std::istringstream in(output);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("id,", 0) == 0 || line.find(',') == std::string::npos) continue;
      std::vector<std::string> cells;
      std::stringstream row(line);
      std::string cell;
      while (std::getline(row, cell, ',')) cells.push_back(cell);
      if (cells.size() >= 4) out[cells[0]] = {cells[1], cells[2], cells[3]};
    }
    return out;
  }

  static std::string AskOneReference(const std::string& name) {
    CommandResult r = France("ask dgsn --plain --name " + Quote(name));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    auto answers = Answers(r.output);
    EXPECT_EQ(answers["1"].size(), 3u) << r.output;
    if (answers["1"].size() != 3) return "";
    EXPECT_EQ(answers["1"][0], "hit") << r.output;
    return answers["1"][1];
  }

  static std::string FollowupId(const std::string& output) {
    size_t at = output.find("fu-");
    return at == std::string::npos ? "" : output.substr(at, 27);
  }

  static inline std::string skip_;
  static inline std::string dir_, ma_db_, fr_db_, pki_, ma_public_key_;
  static inline Agreement ma_agreement_, fr_agreement_;
  static inline pid_t server_pid_ = 0;
  static inline int port_ = 0;
  static inline Entity terrorist_, trafficker_, other_;
};

TEST_F(TwoNodes, HitNoHitAndUnsearchableByCommand) {
  std::ofstream(dir_ + "/queries.csv") << "id,name,birth_date,nationality,id_number\n"
                                       << "a-1,Youssef Idrissi,1983-11-05,MA,\n"
                                       << "a-2,Jean-Claude Dupuis,,,\n"
                                       << "a-3,Rachid Tazi,1969-06-01,,\n";
  CommandResult r = France("ask dgsn --plain --input " + dir_ + "/queries.csv");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto answers = Answers(r.output);
  ASSERT_EQ(answers.size(), 3u) << r.output;
  EXPECT_EQ(answers["a-1"][0], "hit");
  EXPECT_TRUE(IsReference(answers["a-1"][1])) << r.output;
  EXPECT_FALSE(answers["a-1"][2].empty());
  EXPECT_EQ(answers["a-2"][0], "no-hit");
  EXPECT_EQ(answers["a-3"][0], "no-hit") << "category other is not searchable";
  EXPECT_EQ(r.output.find(terrorist_.meta.id), std::string::npos);

  // Morocco's liaison sees what DGSI asked.
  CommandResult asked = MoroccoCli("asked dgsi");
  ASSERT_EQ(asked.exit_code, 0) << asked.output;
  EXPECT_NE(asked.output.find("Jean-Claude Dupuis"), std::string::npos) << asked.output;
}

TEST_F(TwoNodes, FollowupApprovedDeliversTheRecordWithProvenance) {
  const std::string reference = AskOneReference("Karim Ben Salah");
  ASSERT_FALSE(reference.empty());
  CommandResult sent =
      France("followup request dgsn " + reference + " --reason 'traveller at Orly, flight AT 780'");
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  const std::string id = FollowupId(sent.output);
  ASSERT_FALSE(id.empty()) << sent.output;

  CommandResult pending = MoroccoCli("followup list --status pending");
  ASSERT_EQ(pending.exit_code, 0) << pending.output;
  EXPECT_NE(pending.output.find(id), std::string::npos) << pending.output;
  EXPECT_NE(pending.output.find("flight AT 780"), std::string::npos);

  CommandResult early = France("followup fetch dgsn");
  ASSERT_EQ(early.exit_code, 0) << early.output;
  EXPECT_NE(early.output.find("pending"), std::string::npos) << early.output;

  CommandResult approved = MoroccoCli("followup approve " + id + " --reason 'known trafficker'");
  ASSERT_EQ(approved.exit_code, 0) << approved.output;
  CommandResult fetched = France("followup fetch dgsn");
  ASSERT_EQ(fetched.exit_code, 0) << fetched.output;
  EXPECT_NE(fetched.output.find("approved"), std::string::npos) << fetched.output;

  // The record is in France's store, with Morocco's provenance, documents dropped.
  auto db = Database::Open(fr_db_);
  ASSERT_TRUE(db.ok());
  RecordStore store(db->get());
  auto record = store.GetEntity(trafficker_.meta.id);
  ASSERT_TRUE(record.ok()) << record.status().ToString() << "\n" << fetched.output;
  EXPECT_EQ(record->meta.provenance.service, "DGSN-DGST");
  EXPECT_EQ(record->DisplayName(), "Karim Bensalah");
  EXPECT_TRUE(record->documents.empty());
  auto outgoing = HitNoHitStore(db->get()).ListOutgoing(FollowupStatus::kReceived, "dgsn");
  ASSERT_TRUE(outgoing.ok());
  EXPECT_EQ(outgoing->size(), 1u);
  auto audit = server::AuditLog::Read(**db, {.action = "hitnohit.release.received"});
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->size(), 1u);
}

TEST_F(TwoNodes, FollowupRefused) {
  const std::string reference = AskOneReference("Youssef El Idrissi");
  CommandResult sent =
      France("followup request dgsn " + reference + " --reason 'visa application'");
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  const std::string id = FollowupId(sent.output);
  CommandResult refused = MoroccoCli("followup refuse " + id + " --reason 'ongoing operation'");
  ASSERT_EQ(refused.exit_code, 0) << refused.output;
  CommandResult twice = MoroccoCli("followup approve " + id + " --reason 'second thoughts'");
  EXPECT_EQ(twice.exit_code, 5) << twice.output;  // Conflict: already decided
  CommandResult fetched = France("followup fetch dgsn");
  ASSERT_EQ(fetched.exit_code, 0) << fetched.output;
  EXPECT_NE(fetched.output.find("refused: ongoing operation"), std::string::npos) << fetched.output;
  auto db = Database::Open(fr_db_);
  ASSERT_TRUE(db.ok());
  EXPECT_FALSE(RecordStore(db->get()).GetEntity(terrorist_.meta.id).ok());
}

TEST_F(TwoNodes, ExpiredReference) {
  const std::string reference = AskOneReference("Youssef El Idrissi");
  {
    auto db = Database::Open(ma_db_);
    ASSERT_TRUE(db.ok());
    Transaction tx(db->get());
    ASSERT_TRUE(
        HitNoHitStore(db->get()).SetReferenceExpiry(reference, NowMillis() / 1000 - 1).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  CommandResult sent = France("followup request dgsn " + reference + " --reason 'too late'");
  EXPECT_EQ(sent.exit_code, 3) << sent.output;
  EXPECT_NE(sent.output.find("expired"), std::string::npos) << sent.output;
}

TEST_F(TwoNodes, PrivacyPreservingBodiesCarryNoNameOrDate) {
  auto db = Database::Open(fr_db_);
  ASSERT_TRUE(db.ok());
  std::vector<std::string> captured;
  AskOptions options;
  options.mode = AskOptions::Mode::kPrivate;
  options.on_send = [&](std::string_view, std::string_view body) { captured.emplace_back(body); };
  std::vector<AskQuery> queries = {
      {"p-1", "Youssef El Idrissi", PartialDate{1983, 11, 5}, "MA", "TA7654321"},
      {"p-2", "Jean-Claude Dupuis", PartialDate{1971, 2, 14}, "FR", ""},
      {"p-3", "Rachid Tazi", PartialDate{1969, 6, 1}, "", ""}};
  auto report = Ask(**db, "dgsn", queries, options, {"fr-officer", "local", "DGSI"});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->mode, "private");
  ASSERT_EQ(report->answers.size(), 3u);
  EXPECT_EQ(report->answers[0].result, "hit");
  EXPECT_EQ(report->answers[1].result, "no-hit");
  EXPECT_EQ(report->answers[2].result, "no-hit");
  ASSERT_EQ(captured.size(), 1u);
  for (const char* clear :
       {"Youssef", "youssef", "Idrissi", "idrissi", "Dupuis", "dupuis", "Tazi", "tazi", "1983",
        "1971", "1969", "11-05", "TA7654321", "\"MA\"", "\"FR\"", "p-1"})
    EXPECT_EQ(captured[0].find(clear), std::string::npos) << clear << " in " << captured[0];
  EXPECT_NE(captured[0].find("\"mode\":\"private\""), std::string::npos);

  // Nor does Morocco's audit trail hold the names.
  auto ma = Database::Open(ma_db_);
  ASSERT_TRUE(ma.ok());
  auto entries =
      server::AuditLog::Read(**ma, {.actor = "dgsi", .action = "hitnohit.answer", .limit = 100000});
  ASSERT_TRUE(entries.ok());
  for (const server::AuditEntry& e : *entries) {
    if (e.detail_json.find("\"private\"") == std::string::npos) continue;
    EXPECT_EQ(e.detail_json.find("Dupuis"), std::string::npos) << e.detail_json;
  }
}

TEST_F(TwoNodes, NoCertificateIsRefusedAndARogueOneFailsTls) {
  const std::string origin = "https://127.0.0.1:" + std::to_string(port_);
  const std::string body =
      R"({"mode": "plain", "queries": [{"id": "1", "name": "Youssef Idrissi"}]})";
  httplib::Client anonymous(origin);
  anonymous.set_ca_cert_path((pki_ + "/ca.crt").c_str());
  auto r = anonymous.Post(kHitNoHitPath, body, "application/json");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 401) << r->body;

  httplib::Client rogue(origin, dir_ + "/rogue/dgsi.crt", dir_ + "/rogue/dgsi.key");
  rogue.set_ca_cert_path((pki_ + "/ca.crt").c_str());
  auto refused = rogue.Post(kHitNoHitPath, body, "application/json");
  EXPECT_FALSE(refused) << "a certificate from an untrusted CA must not complete the handshake: "
                        << (refused ? std::to_string(refused->status) : "");
}

// Last: it changes Morocco's settings.
TEST_F(TwoNodes, QuotaExceededIs429) {
  SetMoroccoSettings("quota_per_day = 1\n");
  // Each test may run in its own process (ctest), so today's usage may be zero: the first query
  // may use the one allowed; the second must be refused.
  (void)France("ask dgsn --plain --name 'Somebody First'");
  CommandResult r = France("ask dgsn --plain --name 'Somebody Else'");
  EXPECT_EQ(r.exit_code, 1) << r.output;  // ResourceExhausted
  EXPECT_NE(r.output.find("429"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("quota"), std::string::npos) << r.output;
  SetMoroccoSettings("");
}

}  // namespace
}  // namespace entente::exchange::hitnohit
