// Two real `entente serve` processes on loopback with separate stores and mutual TLS: Morocco
// shares under an agreement, France pulls; updates, revocations, an agreement change, a pull
// killed with SIGKILL and resumed, a tampered object, a foreign collection (404), and a third
// partner that must not receive re-shared data.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <thread>

#include "../exchange/test_util.h"
#include "../run_entente.h"
#include "../test_store_target.h"
#include "audit/audit_log.h"
#include "common/crash_point.h"
#include "exchange/collection.h"
#include "exchange/exchange_store.h"
#include "exchange/taxii_client.h"

namespace entente::exchange {
namespace {

namespace fs = std::filesystem;
using entente::testing::RunEntente;
using testing::Person;

// A child process we can kill.
struct Child {
  pid_t pid = -1;
  int out_fd = -1;
  ~Child() { Kill(SIGTERM); }
  void Kill(int sig) {
    if (pid > 0) {
      kill(pid, sig);
      waitpid(pid, nullptr, 0);
      pid = -1;
    }
    if (out_fd >= 0) close(out_fd);
    out_fd = -1;
  }
};

std::unique_ptr<Child> Spawn(const std::vector<std::string>& args) {
  int fds[2];
  if (pipe(fds) != 0) return nullptr;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(ENTENTE_BINARY));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(ENTENTE_BINARY, argv.data());
    _exit(127);
  }
  close(fds[1]);
  auto child = std::make_unique<Child>();
  child->pid = pid;
  child->out_fd = fds[0];
  return child;
}

// Reads the child's output until "entente serving on URL"; returns URL or "".
std::string WaitForUrl(Child& child) {
  std::string text;
  char c;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline && read(child.out_fd, &c, 1) == 1) {
    text.push_back(c);
    size_t pos = text.find("entente serving on ");
    if (pos != std::string::npos && text.back() == '\n') {
      std::string url = text.substr(pos + 19);
      while (!url.empty() && (url.back() == '\n' || url.back() == '\r')) url.pop_back();
      return url;
    }
  }
  ADD_FAILURE() << "server did not start: " << text;
  return "";
}

void Write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

// The public key line of `share keygen` (stderr carries the key id line).
std::string KeyFrom(const std::string& text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string line =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!line.empty() && line.find(' ') == std::string::npos) return line;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return "";
}

class TaxiiTwoNodes : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(ENTENTE_BINARY)) GTEST_SKIP() << "no entente binary at " << ENTENTE_BINARY;
    dir = fs::temp_directory_path() / ("two_nodes_" + RandomHex(4));
    fs::create_directories(dir);
    pki = (dir / "pki").string();
    std::string out;
    ASSERT_EQ(RunEntente({"--db", ::entente::testing::StoreTarget((dir / "ca.db").string()), "pki",
                          "--dir", pki, "init"},
                         &out),
              0)
        << out;
    ASSERT_EQ(RunEntente({"--db", ::entente::testing::StoreTarget((dir / "ca.db").string()), "pki",
                          "--dir", pki, "client", "dgsi"},
                         &out),
              0)
        << out;
    ASSERT_EQ(RunEntente({"--db", ::entente::testing::StoreTarget((dir / "ca.db").string()), "pki",
                          "--dir", pki, "client", "dgst"},
                         &out),
              0)
        << out;
    ma_db = ::entente::testing::StoreTarget((dir / "ma.db").string());
    fr_db = ::entente::testing::StoreTarget((dir / "fr.db").string());
    ASSERT_EQ(RunEntente({"--db", ma_db, "--service", "DGSN-DGST", "share", "keygen"}, &out), 0)
        << out;
    ma_key = KeyFrom(out);
    ASSERT_EQ(RunEntente({"--db", fr_db, "--service", "DGSI", "share", "keygen"}, &out), 0) << out;
    // Morocco's agreement with France.
    Write(dir / "ma_fr.toml", R"(
[partner]
name = "dgsi"
service = "DGSI"
principals = ["dgsi"]
[share]
categories = ["terrorism", "organized-crime"]
max_tlp = "AMBER"
min_reliability = "B"
drop = ["addresses"]
redact = ["provenance.source"]
)");
    // A third partner at Morocco, whose collection France must not read.
    Write(dir / "ma_cni.toml", R"(
[partner]
name = "cni"
service = "CNI"
principals = ["cni"]
[share]
categories = ["*"]
max_tlp = "GREEN"
)");
    ASSERT_EQ(RunEntente({"--db", ma_db, "--service", "DGSN-DGST", "share", "set-agreement",
                          (dir / "ma_fr.toml").string()},
                         &out),
              0)
        << out;
    ASSERT_EQ(RunEntente({"--db", ma_db, "--service", "DGSN-DGST", "share", "set-agreement",
                          (dir / "ma_cni.toml").string()},
                         &out),
              0)
        << out;
    Write(dir / "ma_serve.toml",
          "[server]\nservice = \"DGSN-DGST\"\n[tls]\ncert = \"" + pki + "/server.crt\"\nkey = \"" +
              pki + "/server.key\"\nclient_ca = \"" + pki +
              "/ca.crt\"\n[[partners]]\nname = \"dgsi\"\nservice = \"DGSI\"\n"
              "cert_cn = \"dgsi\"\nclearance = \"AMBER\"\n");
    server = Spawn({"--db", ma_db, "--service", "DGSN-DGST", "serve", "--config",
                    (dir / "ma_serve.toml").string(), "--listen", "127.0.0.1:0"});
    ASSERT_TRUE(server);
    url = WaitForUrl(*server);
    ASSERT_FALSE(url.empty());
    // France's agreement with Morocco: where to pull, which key to trust, mutual TLS.
    SetFranceAgreement(ma_key);
    ma = std::move(Database::Open(ma_db).value());
    ma_store = std::make_unique<RecordStore>(ma.get());
  }

  void SetFranceAgreement(const std::string& key) {
    Write(dir / "fr_ma.toml",
          "[partner]\nname = \"dgst\"\nservice = \"DGSN-DGST\"\nurl = \"" + url +
              "/taxii2/\"\npublic_key = \"" + key + "\"\nca_cert = \"" + pki +
              "/ca.crt\"\nclient_cert = \"" + pki + "/dgsi.crt\"\nclient_key = \"" + pki +
              "/dgsi.key\"\n[share]\ncategories = [\"*\"]\nmax_tlp = \"AMBER\"\n");
    std::string out;
    ASSERT_EQ(RunEntente({"--db", fr_db, "--service", "DGSI", "share", "set-agreement",
                          (dir / "fr_ma.toml").string()},
                         &out),
              0)
        << out;
  }

  // Another France store with its own key pair and the same agreement with Morocco.
  std::string NewFrance(const std::string& name) {
    std::string db = ::entente::testing::StoreTarget((dir / name).string());
    std::string out;
    EXPECT_EQ(RunEntente({"--db", db, "--service", "DGSI", "share", "keygen"}, &out), 0) << out;
    EXPECT_EQ(RunEntente({"--db", db, "--service", "DGSI", "share", "set-agreement",
                          (dir / "fr_ma.toml").string()},
                         &out),
              0)
        << out;
    return db;
  }

  int Sync(std::string* out, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"--db", fr_db, "--service", "DGSI", "sync", "dgst"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunEntente(args, out);
  }

  void TearDown() override {
    if (server) server->Kill(SIGTERM);
    ma_store.reset();
    ma.reset();
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
  }

  fs::path dir;
  std::string pki, ma_db, fr_db, ma_key, url;
  std::unique_ptr<Child> server;
  std::unique_ptr<Database> ma;
  std::unique_ptr<RecordStore> ma_store;
};

TEST_F(TaxiiTwoNodes, ShareUpdateRevokeAgreementChangeOverMutualTls) {
  Entity shared = Person("Mohammed EL IDRISSI", ThreatCategory::kTerrorism, Tlp::kAmber, 'B');
  Entity other = Person("Karim", ThreatCategory::kOrganizedCrime, Tlp::kGreen, 'A');
  Entity held = Person("Youssef", ThreatCategory::kNarcotics, Tlp::kAmber, 'A');
  ASSERT_TRUE(ma_store->PutAll({shared, other, held}).ok());
  std::string out;
  ASSERT_EQ(Sync(&out), 0) << out;
  auto fr = std::move(Database::Open(fr_db).value());
  RecordStore fr_store(fr.get());
  auto got = fr_store.GetEntity(shared.meta.id);
  ASSERT_TRUE(got.ok()) << out;
  EXPECT_EQ(got->meta.provenance.service, "DGSN-DGST");
  EXPECT_EQ(got->meta.provenance.source, "[redacted]");
  EXPECT_EQ(got->meta.marking.tlp, Tlp::kAmber);
  EXPECT_TRUE(got->addresses.empty());
  EXPECT_TRUE(fr_store.Get(other.meta.id).ok());
  EXPECT_FALSE(fr_store.Get(held.meta.id).ok());

  // Idempotent.
  ASSERT_EQ(Sync(&out), 0) << out;
  EXPECT_NE(out.find("0 objects"), std::string::npos) << out;

  // Update.
  shared.names.push_back({"Mohamed IDRISSI", NameKind::kAlias, "Latn"});
  ASSERT_TRUE(ma_store->PutAll({shared}).ok());
  ASSERT_EQ(Sync(&out), 0) << out;
  EXPECT_EQ(fr_store.GetEntity(shared.meta.id)->names.size(), 2u);

  // Revocation.
  {
    auto w = ma_store->BeginWrite();
    ASSERT_TRUE((*w)->Revoke(other.meta.id).ok());
    ASSERT_TRUE((*w)->Commit().ok());
  }
  ASSERT_EQ(Sync(&out), 0) << out;
  EXPECT_TRUE(MetaOf(*fr_store.Get(other.meta.id)).revoked) << out;

  // Agreement change: terrorism no longer shared -> revoked at France on its next pull.
  Write(dir / "ma_fr.toml", R"(
[partner]
name = "dgsi"
service = "DGSI"
principals = ["dgsi"]
[share]
categories = ["organized-crime"]
max_tlp = "AMBER"
)");
  ASSERT_EQ(RunEntente({"--db", ma_db, "--service", "DGSN-DGST", "share", "set-agreement",
                        (dir / "ma_fr.toml").string()},
                       &out),
            0)
      << out;
  ASSERT_EQ(Sync(&out), 0) << out;
  EXPECT_TRUE(MetaOf(*fr_store.Get(shared.meta.id)).revoked) << out;

  // Audited on both sides.
  auto fr_audit = server::AuditLog::Read(*fr, {.action = "exchange.pull", .limit = 100});
  EXPECT_FALSE(fr_audit->empty());
  auto ma_audit = server::AuditLog::Read(*ma, {.action = "exchange.serve", .limit = 100});
  EXPECT_FALSE(ma_audit->empty());
}

TEST_F(TaxiiTwoNodes, KilledPullResumesWithoutLossOrDuplicates) {
  std::vector<Record> batch;
  for (int i = 0; i < 60; ++i)
    batch.push_back(Person("P" + std::to_string(i), ThreatCategory::kTerrorism, Tlp::kGreen, 'A'));
  ASSERT_TRUE(ma_store->PutAll(batch).ok());
  auto child = Spawn({"--db", fr_db, "--service", "DGSI", "sync", "dgst", "--page-size", "7",
                      "--pause-ms", "400"});
  // Wait for the first committed page, then kill -9.
  auto fr = std::move(Database::Open(fr_db).value());
  bool saw_cursor = false;
  for (int i = 0; i < 300 && !saw_cursor; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto rows = fr->Query("SELECT objects FROM exchange_cursors WHERE partner = 'dgst'");
    saw_cursor = rows.ok() && !rows->empty() && (*rows)[0].Int(0) > 0;
  }
  ASSERT_TRUE(saw_cursor);
  child->Kill(SIGKILL);
  RecordStore fr_store(fr.get());
  auto partial = fr_store.Stats();
  EXPECT_LT(partial->records, 60);
  std::string out;
  ASSERT_EQ(Sync(&out, {"--page-size", "7"}), 0) << out;
  auto stats = fr_store.Stats();
  EXPECT_EQ(stats->records, 60);
  EXPECT_EQ(stats->versions, 60);  // nothing applied twice
}

// What a pull leaves at France that must be the same after a crash and a second pull as after
// one pull that was never cut: the records and versions, a change feed without gaps, the cursor,
// and one line of the received log per object.
std::map<std::string, std::string> PullFingerprint(const std::string& target) {
  auto opened = Database::Open(target);
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  if (!opened.ok()) return {};
  const std::map<std::string, std::string> queries = {
      {"records", "SELECT id, version, content_hash, revoked FROM records ORDER BY id"},
      {"versions", "SELECT id, version, change_kind FROM record_versions ORDER BY id, version"},
      {"feed gaps",
       "SELECT COUNT(*) - (MAX(change_seq) - MIN(change_seq) + 1) FROM record_versions"},
      {"cursor", "SELECT partner, added_after, objects, rejected FROM exchange_cursors"},
      {"received", "SELECT COUNT(*), COUNT(DISTINCT object_id) FROM exchange_received"},
  };
  std::map<std::string, std::string> out;
  for (const auto& [name, sql] : queries) {
    auto rows = (*opened)->Query(sql);
    EXPECT_TRUE(rows.ok()) << name << ": " << rows.status().ToString();
    if (!rows.ok()) continue;
    for (const SqlRow& row : *rows)
      for (size_t i = 0; i < row.values.size(); ++i) out[name] += row.Text(i) + "|";
  }
  return out;
}

TEST_F(TaxiiTwoNodes, EverySyncCrashPointRecoversToTheStoreOfACleanPull) {
  std::vector<Record> batch;
  for (int i = 0; i < 60; ++i)
    batch.push_back(Person("P" + std::to_string(i), ThreatCategory::kTerrorism, Tlp::kGreen, 'A'));
  ASSERT_TRUE(ma_store->PutAll(batch).ok());
  const std::vector<std::string> pull = {"--service", "DGSI", "sync", "dgst", "--page-size", "7"};
  auto with_db = [&](const std::string& db) {
    std::vector<std::string> args = {"--db", db};
    args.insert(args.end(), pull.begin(), pull.end());
    return args;
  };
  std::string out;
  const std::string clean = NewFrance("clean.db");
  ASSERT_EQ(RunEntente(with_db(clean), &out), 0) << out;
  const auto expected = PullFingerprint(clean);
  ASSERT_NE(expected.at("records"), "");
  ASSERT_EQ(expected.at("feed gaps"), "0|");

  int tried = 0;
  for (const CrashPointInfo& point : CrashPoints()) {
    if (point.tested_in != CrashPointInfo::kTwoNodeRecoveryTest) continue;
    for (const std::string pass : {"1", "3"}) {  // the first page, and one in the middle
      const std::string target = std::string(point.name) + ":" + pass;
      SCOPED_TRACE(target);
      const std::string db = NewFrance("crash-" + std::to_string(tried++) + ".db");
      setenv("ENTENTE_CRASH_AT", target.c_str(), 1);
      int killed = RunEntente(with_db(db), &out);
      unsetenv("ENTENTE_CRASH_AT");
      EXPECT_TRUE(killed == 128 + SIGKILL || killed == -1) << "the point did not fire: " << out;
      ASSERT_EQ(RunEntente(with_db(db), &out), 0) << "the pull again, as the docs say\n" << out;
      const auto got = PullFingerprint(db);
      for (const auto& [name, text] : expected)
        EXPECT_EQ(got.at(name), text) << name << " differs from a clean pull";
      ASSERT_EQ(RunEntente({"--db", db, "audit", "verify"}, &out), 0) << out;
    }
  }
  EXPECT_EQ(tried, 4) << "two sync crash points, each at two passes";
}

TEST_F(TaxiiTwoNodes, TamperedObjectAndWrongKeyAreRejectedAndAudited) {
  Entity a = Person("Abdelkader", ThreatCategory::kTerrorism, Tlp::kAmber, 'A');
  Entity b = Person("Abd al-Qadir", ThreatCategory::kTerrorism, Tlp::kAmber, 'A');
  ASSERT_TRUE(ma_store->PutAll({a, b}).ok());
  ASSERT_TRUE(
      PublishOutbound(*ma, "DGSN-DGST", *ExchangeStore(ma.get()).GetAgreement("dgsi")).ok());
  // Someone alters b's object on its way (here: in Morocco's served collection).
  ASSERT_TRUE(
      ma->Execute("UPDATE exchange_objects SET body = REPLACE(body, 'Abd al-Qadir', 'Abd al-Kader')"
                  " WHERE object_id LIKE 'threat-actor--%' AND body LIKE '%Abd al-Qadir%'")
          .ok());
  std::string out;
  EXPECT_EQ(Sync(&out), 6) << out;  // exit 6: objects were rejected
  auto fr = std::move(Database::Open(fr_db).value());
  RecordStore fr_store(fr.get());
  EXPECT_TRUE(fr_store.Get(a.meta.id).ok());
  EXPECT_FALSE(fr_store.Get(b.meta.id).ok());
  auto rejected = server::AuditLog::Read(*fr, {.action = "exchange.reject", .limit = 10});
  ASSERT_EQ(rejected->size(), 1u);
  EXPECT_NE((*rejected)[0].detail_json.find("signature"), std::string::npos);
}

TEST_F(TaxiiTwoNodes, ForeignCollectionIsForbiddenAndThirdPartnerGetsNoReshare) {
  Entity a = Person("Mohammed", ThreatCategory::kTerrorism, Tlp::kAmber, 'A');
  ASSERT_TRUE(ma_store->PutAll({a}).ok());
  std::string out;
  ASSERT_EQ(Sync(&out), 0) << out;
  // France (certificate CN dgsi) asks for the collection Morocco keeps for CNI: 404, the
  // answer for an unknown collection (its id derives from CNI's name: no existence oracle).
  TaxiiEndpoint e{url + "/taxii2/", "", "", pki + "/ca.crt", pki + "/dgsi.crt", pki + "/dgsi.key"};
  auto client = TaxiiClient::Connect(e);
  ASSERT_TRUE(client.ok());
  std::string cni = ExchangeStore(ma.get()).OutboundCollectionId("cni");
  auto forbidden = (*client)->Get("/taxii2/entente/collections/" + cni + "/objects/");
  EXPECT_EQ(forbidden.status().code(), StatusCode::kNotFound) << forbidden.status().ToString();
  auto mine = (*client)->Get("/taxii2/entente/collections/");
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  EXPECT_EQ(mine->body["collections"].size(), 2u);
  // No certificate, no credentials: 401.
  TaxiiEndpoint anonymous{url + "/taxii2/", "", "", pki + "/ca.crt", "", ""};
  auto anon = TaxiiClient::Connect(anonymous);
  EXPECT_EQ((*anon)->Get("/taxii2/entente/collections/").status().code(),
            StatusCode::kUnauthenticated);

  // France's agreement with a third partner: Moroccan AMBER data is not re-shared.
  auto fr = std::move(Database::Open(fr_db).value());
  Agreement third = *ParseAgreement(
      "[partner]\nname = \"cni\"\nservice = \"CNI\"\n[share]\ncategories = [\"*\"]\nmax_tlp = "
      "\"RED\"\n");
  ExchangeStore fr_xs(fr.get());
  ASSERT_TRUE(fr_xs.PutAgreement(third).ok());
  ASSERT_TRUE(PublishOutbound(*fr, "DGSI", third).ok());
  auto page = QueryObjects(*fr, fr_xs.OutboundCollectionId("cni"), ObjectQuery{});
  for (const StoredObject& o : page->objects)
    EXPECT_EQ(o.body.find(a.meta.id.substr(8)), std::string::npos) << "re-shared " << o.id;
}

// TAXII 2.1 URLs end in "/" and standard clients (taxii2-client) send them so: the server
// answers them as it answers the same path without the slash.
TEST_F(TaxiiTwoNodes, TrailingSlashUrlsAreServedAsTaxiiClientsSendThem) {
  size_t port_at = url.rfind(':');
  ASSERT_NE(port_at, std::string::npos);
  httplib::SSLClient client("127.0.0.1", std::stoi(url.substr(port_at + 1)), pki + "/dgsi.crt",
                            pki + "/dgsi.key");
  client.set_ca_cert_path((pki + "/ca.crt").c_str());
  client.enable_server_certificate_verification(true);
  httplib::Headers accept = {{"Accept", "application/taxii+json;version=2.1"}};
  for (const std::string path : {"/taxii2/", "/taxii2/entente/", "/taxii2/entente/collections/"}) {
    auto with_slash = client.Get(path.c_str(), accept);
    ASSERT_TRUE(with_slash) << path;
    EXPECT_EQ(with_slash->status, 200) << path << ": " << with_slash->body;
    auto without = client.Get(path.substr(0, path.size() - 1).c_str(), accept);
    ASSERT_TRUE(without) << path;
    EXPECT_EQ(without->body, with_slash->body) << path;
  }
  std::string collection = ExchangeStore(ma.get()).OutboundCollectionId("dgsi");
  auto objects =
      client.Get(("/taxii2/entente/collections/" + collection + "/objects/").c_str(), accept);
  ASSERT_TRUE(objects);
  EXPECT_EQ(objects->status, 200) << objects->body;
  // Two slashes are an empty segment, not a trailing slash: no such endpoint.
  auto doubled = client.Get("/taxii2/entente/collections//", accept);
  ASSERT_TRUE(doubled);
  EXPECT_EQ(doubled->status, 404);
}

// `entente serve --sync-interval N` pulls from the partners in its agreements on a schedule,
// without anyone running `entente sync`; SIGTERM stops the scheduler with the server.
TEST_F(TaxiiTwoNodes, ServeRunsScheduledPullsFromItsPartners) {
  Entity shared = Person("Rachid BENALI", ThreatCategory::kTerrorism, Tlp::kGreen, 'A');
  ASSERT_TRUE(ma_store->PutAll({shared}).ok());
  auto france =
      Spawn({"--db", fr_db, "--service", "DGSI", "serve", "--listen", "127.0.0.1:0", "--tls-cert",
             pki + "/server.crt", "--tls-key", pki + "/server.key", "--sync-interval", "1"});
  ASSERT_TRUE(france);
  ASSERT_FALSE(WaitForUrl(*france).empty());
  auto fr = std::move(Database::Open(fr_db).value());
  (void)RecordStore::Migrate(*fr);
  RecordStore fr_store(fr.get());
  auto pulled = [&](const std::string& id) {
    for (int attempt = 0; attempt < 600; ++attempt) {
      if (fr_store.Get(id).ok()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  };
  EXPECT_TRUE(pulled(shared.meta.id)) << "the first scheduled round did not pull the record";
  // A record added later arrives with a later round.
  Entity later = Person("Samira TAZI", ThreatCategory::kTerrorism, Tlp::kGreen, 'A');
  ASSERT_TRUE(ma_store->PutAll({later}).ok());
  EXPECT_TRUE(pulled(later.meta.id)) << "no later scheduled round";
  auto audit = server::AuditLog::Read(*fr, {.action = "exchange.pull", .limit = 100});
  ASSERT_TRUE(audit.ok());
  ASSERT_FALSE(audit->empty());
  EXPECT_EQ((*audit)[0].actor, "scheduler");
  kill(france->pid, SIGTERM);
  int status = 0;
  waitpid(france->pid, &status, 0);
  france->pid = -1;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "serve did not stop cleanly";
}

}  // namespace
}  // namespace entente::exchange
