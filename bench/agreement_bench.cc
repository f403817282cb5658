// The exchange page's agreement counts on a large store: GET /api/v1/exchange/agreements/{partner}
// (every record the liaison may read evaluated against the agreement, counted by reason; kept
// between requests and updated from the change feed, api/agreement_counts.h) beside
// GET /api/v1/stats (the same records read through the same policy and counted by type,
// category, source and service, every time): its first call, then the store unchanged, then
// after 1,000 records were written, each --runs times interleaved with the peer (median, max).
// Over loopback HTTPS from the real server.
//
//   agreement_bench [--persons N] [--runs R]       (200,000 persons and 5 runs by default)
//
// Prints a Markdown table for docs/PERFORMANCE.md; checks that the counts add up.
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "auth/user_store.h"
#include "common/ids.h"
#include "exchange/agreement.h"
#include "exchange/exchange_store.h"
#include "server/http_server.h"
#include "server/pki.h"
#include "store/record_store.h"

namespace {

using namespace entente;
using namespace entente::server;

// A varied store: categories, grades, markings and releasability that the agreement below
// shares or holds back for each of its reasons.
Status FillStore(Database& db, int persons) {
  RecordStore store(&db);
  std::mt19937 random(11);
  const ThreatCategory categories[] = {ThreatCategory::kTerrorism, ThreatCategory::kNarcotics,
                                       ThreatCategory::kOther};
  const Tlp tlps[] = {Tlp::kClear, Tlp::kGreen, Tlp::kGreen, Tlp::kAmber, Tlp::kRed};
  ENTENTE_ASSIGN_OR_RETURN(auto writer, store.BeginWrite());
  for (int i = 0; i < persons; ++i) {
    Entity person;
    person.type = EntityType::kPerson;
    person.meta.id = DeterministicId("person", "agreement-bench", std::to_string(i));
    person.meta.provenance = {i % 7 == 0 ? "DGSI" : "DGSN-DGST", "bench", std::to_string(i), "",
                              ""};
    person.meta.grades = {static_cast<char>('A' + random() % 6),
                          static_cast<int>(1 + random() % 6)};
    person.meta.category = categories[random() % 3];
    person.meta.marking.tlp = tlps[random() % 5];
    if (random() % 4 == 0) person.meta.marking.releasable_to = {"DGSI"};
    person.names.push_back({"Person " + std::to_string(i), NameKind::kPrimary, "Latn"});
    person.nationalities = {"MA"};
    person.addresses = {"1 rue " + std::to_string(i)};
    ENTENTE_RETURN_IF_ERROR(writer->Put(person).status());
  }
  return writer->Commit();
}

double TimeGet(httplib::SSLClient& client, const std::string& path, const httplib::Headers& auth,
               std::string* body) {
  auto began = std::chrono::steady_clock::now();
  auto answer = client.Get(path.c_str(), auth);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  if (!answer || answer->status != 200) {
    std::cerr << path << ": "
              << (answer ? std::to_string(answer->status) + " " + answer->body
                         : std::string("no answer"))
              << "\n";
    return -1;
  }
  *body = answer->body;
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  int persons = 200000, runs = 5;
  for (int a = 1; a + 1 < argc; a += 2) {
    std::string flag = argv[a];
    if (flag == "--persons") persons = std::atoi(argv[a + 1]);
    if (flag == "--runs") runs = std::atoi(argv[a + 1]);
  }
  spdlog::set_level(spdlog::level::warn);
  std::string dir =
      (std::filesystem::temp_directory_path() / ("entente-agreement-bench-" + RandomHex(4)))
          .string();
  std::filesystem::create_directories(dir);
  std::string db_path = dir + "/bench.db";
  if (!CreateCa(dir + "/pki", "bench CA").ok() ||
      !IssueCertificate(dir + "/pki", "server",
                        {"localhost", CertificateKind::kServer, {"localhost"}, {"127.0.0.1"}, 30})
           .ok())
    return 1;
  std::string token;
  {
    auto db = Database::Open(db_path);
    if (!db.ok() || !RecordStore::Migrate(**db).ok() || !UserStore::Migrate(**db).ok() ||
        !exchange::ExchangeStore::Migrate(**db).ok())
      return 1;
    auto began = std::chrono::steady_clock::now();
    Status filled = FillStore(**db, persons);
    if (!filled.ok()) {
      std::cerr << filled.ToString() << "\n";
      return 1;
    }
    std::cerr << "stored " << persons << " persons in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count()
              << " s\n";
    auto agreement = exchange::ParseAgreement(
        "[partner]\nname = \"dgsi\"\nservice = \"DGSI\"\n[share]\n"
        "categories = [\"terrorism\", \"narcotics\"]\nmax_tlp = \"AMBER\"\n"
        "min_reliability = \"C\"\nmin_credibility = 3\ndrop = [\"addresses\"]\n");
    if (!agreement.ok() || !exchange::ExchangeStore(db->get()).PutAgreement(*agreement).ok())
      return 1;
    auto key = TokenKey::LoadOrCreate(DefaultTokenKeyPath(db_path));
    UserStore users(db->get(), *key);
    auto made = users.AddUser({"bench", "local", "DGSN-DGST"},
                              {"liaison", Role::kLiaison, Tlp::kRed, "DGSN-DGST", ""});
    if (!made.ok()) return 1;
    token = made->token;
  }
  ServerConfig config;
  config.db_target = db_path;
  config.port = 0;
  config.service = "DGSN-DGST";
  config.tls_cert = dir + "/pki/server.crt";
  config.tls_key = dir + "/pki/server.key";
  config.limits.rate_per_minute = 100000000;
  config.limits.rate_burst = 1000000;
  HttpServer server(config);
  if (!server.Start().ok()) return 1;
  httplib::SSLClient client("127.0.0.1", server.port());
  client.enable_server_certificate_verification(false);  // loopback, the bench's own CA
  client.set_read_timeout(600, 0);
  httplib::Headers auth = {{"Authorization", "Bearer " + token}};

  // Writes `n` more persons (an import going on beside the officer).
  int written = persons;
  auto write_more = [&](int n) {
    auto db = Database::Open(db_path);
    RecordStore store(db->get());
    auto writer = store.BeginWrite();
    for (int i = 0; i < n; ++i) {
      Entity person;
      person.type = EntityType::kPerson;
      person.meta.id = DeterministicId("person", "agreement-bench", std::to_string(written++));
      person.meta.provenance = {"DGSN-DGST", "bench", person.meta.id, "", ""};
      person.meta.category = ThreatCategory::kTerrorism;
      person.meta.marking.tlp = Tlp::kGreen;
      person.names.push_back({"Later " + std::to_string(written), NameKind::kPrimary, "Latn"});
      if (!(*writer)->Put(person).ok()) return false;
    }
    return (*writer)->Commit().ok();
  };
  const std::string agreement_path = "/api/v1/exchange/agreements/dgsi";
  std::vector<double> peer, full, same, changed;
  std::string body;
  bool ok = true;
  auto timed = [&](const std::string& path, std::vector<double>* into) {
    double t = TimeGet(client, path, auth, &body);
    ok = ok && t >= 0;
    into->push_back(t);
  };
  // The first call walks the store; then, interleaved with the peer: unchanged store, and after
  // 1,000 records were written (the change feed applied).
  timed(agreement_path, &full);
  for (int run = 0; run < runs; ++run) {
    timed("/api/v1/stats", &peer);
    timed(agreement_path, &same);
    ok = ok && write_more(1000);
    timed(agreement_path, &changed);
  }
  nlohmann::json counts = nlohmann::json::parse(body)["counts"];
  int64_t records = counts["records"], shared = counts["shared"], held = counts["held_back"];
  ok =
      ok && records > 0 && records <= written && shared + held == records && shared > 0 && held > 0;
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  auto max = [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); };
  double base = median(peer);
  std::printf("\n%d persons, %d runs, interleaved, over HTTPS on loopback (RED liaison)\n\n",
              persons, runs);
  std::printf("| request | median | max | vs peer (median) |\n| --- | ---: | ---: | ---: |\n");
  auto row = [&](const char* label, const std::vector<double>& v) {
    std::printf("| %s | %.1f ms | %.1f ms | %.3f |\n", label, median(v) * 1000, max(v) * 1000,
                median(v) / base);
  };
  row("GET /api/v1/stats (peer: reads and counts every readable record)", peer);
  row("GET /api/v1/exchange/agreements/dgsi, first call (walks the store)", full);
  row("the same, store unchanged", same);
  row("the same, after 1,000 records were written", changed);
  std::printf("\ncounts: %lld records, %lld shared, %lld held back, truncated %s\n",
              static_cast<long long>(records), static_cast<long long>(shared),
              static_cast<long long>(held), counts["truncated"].dump().c_str());
  server.Stop();
  std::filesystem::remove_all(dir);
  return ok ? 0 : 1;
}
