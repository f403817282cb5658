// Hit/no-hit step one over loopback HTTPS with mutual TLS: p50/p99 latency and queries per
// second, single queries and batches of 1,000, plaintext and privacy-preserving, against a store
// of the 200,000-entry screening_dev watchlist. Everything is real: a SQLite store, the
// entente HttpServer with the hit/no-hit routes, a partner client certificate, the audit trail
// (one entry per answered query), quota accounting.
//
//   hitnohit_bench [--records N] [--single N] [--batches N] [--watchlist W.csv] [--queries Q.csv]
//                  [--answers OUT.tsv]
//
// --answers writes the engine's private answers to the batches (query id, hit, entity, score),
// one a line, so that two builds can be checked to give the same answers (diff the files).
//
// Defaults: 200000 records from ../shared/eval/screening_dev/watchlist_large.csv, 300 single
// queries and 5 batches of 1000 per mode from queries_large.csv. Checks its result: exits 1 when
// a request fails or no query hits (a broken build). Targets (docs/PERFORMANCE.md): single-query
// p99 under 20 ms, a 1,000-query batch under 1 s.
#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "api/hitnohit_routes.h"
#include "common/ids.h"
#include "exchange/exchange_store.h"
#include "exchange/hitnohit/answer_engine.h"
#include "exchange/hitnohit/hitnohit_store.h"
#include "exchange/hitnohit/protocol.h"
#include "screen/screen_csv.h"
#include "screen/watchlist_csv.h"
#include "server/http_server.h"
#include "server/pki.h"
#include "store/record_store.h"

namespace {

namespace hnh = entente::exchange::hitnohit;
using Clock = std::chrono::steady_clock;

constexpr char kSecret[] = "hit/no-hit bench shared secret, not for production";

double Millis(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

// CPU seconds of this process so far (user + system, every thread).
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t index = static_cast<size_t>(p * (values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "hitnohit_bench: %s\n", message.c_str());
  std::exit(1);
}

void Check(const entente::Status& status, const std::string& what) {
  if (!status.ok()) Die(what + ": " + status.ToString());
}

struct Run {
  std::vector<double> latencies_ms;
  int64_t queries = 0;
  int64_t hits = 0;
  double total_ms = 0;
};

Run Send(httplib::Client& client, const std::vector<hnh::AskQuery>& queries, size_t batch,
         size_t requests, const hnh::PrivacyKeys* keys) {
  Run run;
  const Clock::time_point start = Clock::now();
  for (size_t request_idx = 0; request_idx < requests; ++request_idx) {
    std::vector<hnh::AskQuery> slice;
    for (size_t query_idx = 0; query_idx < batch; ++query_idx)
      slice.push_back(queries[(request_idx * batch + query_idx) % queries.size()]);
    // Encoding is the asking side's work: part of what a query costs end to end.
    const Clock::time_point t0 = Clock::now();
    hnh::PreparedRequest prepared =
        keys ? hnh::BuildPrivateRequest(*keys, slice) : hnh::BuildPlainRequest(slice);
    auto result = client.Post(hnh::kHitNoHitPath, prepared.body, "application/json");
    run.latencies_ms.push_back(Millis(t0));
    if (!result) Die("request failed: " + httplib::to_string(result.error()));
    if (result->status != 200) Die("HTTP " + std::to_string(result->status) + ": " + result->body);
    auto answers = hnh::ParseResponse(result->body);
    if (!answers.ok()) Die(answers.status().ToString());
    run.queries += static_cast<int64_t>(answers->size());
    for (const hnh::WireAnswer& a : *answers) run.hits += a.result == "hit" ? 1 : 0;
  }
  run.total_ms = Millis(start);
  return run;
}

struct EngineTime {
  double wall_ms = 0;  // per batch
  double cpu_ms = 0;   // per batch, every thread of the process (the engine's, the rest idle)
};

// The engine alone on the same batches (in this process, the server's own AnswerEngine): how
// much of a request is matching, and how much is TLS, HTTP, JSON, quota, references and audit.
EngineTime EngineMillisPerBatch(const std::vector<hnh::AskQuery>& queries, size_t batch,
                            size_t requests, const hnh::PrivacyKeys* keys,
                            const std::string& db_path, std::FILE* answers_out = nullptr) {
  auto db = entente::Database::Open(db_path);
  if (!db.ok()) Die(db.status().ToString());
  auto node = hnh::HitNoHitStore(db->get()).NodeId();
  if (!node.ok()) Die(node.status().ToString());
  std::shared_ptr<hnh::AnswerEngine> engine = hnh::AnswerEngine::ForNode(*node);
  hnh::SearchScope scope;
  scope.everything = true;
  double total = 0, cpu = 0;
  for (size_t request_idx = 0; request_idx < requests; ++request_idx) {
    std::vector<hnh::AskQuery> slice;
    for (size_t query_idx = 0; query_idx < batch; ++query_idx)
      slice.push_back(queries[(request_idx * batch + query_idx) % queries.size()]);
    hnh::PreparedRequest prepared =
        keys ? hnh::BuildPrivateRequest(*keys, slice) : hnh::BuildPlainRequest(slice);
    auto parsed = hnh::ParseRequest(prepared.body, batch);
    if (!parsed.ok()) Die(parsed.status().ToString());
    const Clock::time_point t0 = Clock::now();
    const double cpu0 = CpuSeconds();
    auto answers =
        keys ? engine->AnswerPrivate(*keys, parsed->encoded, scope, hnh::kDefaultPrivacyThreshold)
             : engine->AnswerPlain(parsed->plain, scope, 0.80);
    cpu += CpuSeconds() - cpu0;
    total += Millis(t0);
    if (answers.size() != slice.size()) Die("engine answered the wrong number of queries");
    if (answers_out == nullptr) continue;
    for (const hnh::QueryAnswer& answer : answers) {
      std::fprintf(answers_out, "%s\t%d\t%s\t%.6f\t%s\n", answer.id.c_str(), answer.hit ? 1 : 0,
                   answer.entity_id.c_str(), answer.score, answer.error.c_str());
    }
  }
  if (requests == 0) return {};
  return {total / static_cast<double>(requests), 1000.0 * cpu / static_cast<double>(requests)};
}

void Print(const char* label, const Run& run) {
  std::printf(
      "%-30s p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms  %9.0f queries/s  (%lld queries, %lld "
      "hits)\n",
      label, Percentile(run.latencies_ms, 0.50), Percentile(run.latencies_ms, 0.99),
      Percentile(run.latencies_ms, 1.0),
      run.total_ms > 0 ? 1000.0 * run.queries / run.total_ms : 0.0,
      static_cast<long long>(run.queries), static_cast<long long>(run.hits));
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string data = std::string(ENTENTE_SHARED_DIR) + "/eval/screening_dev/";
  std::string watchlist_path = data + "watchlist_large.csv";
  std::string queries_path = data + "queries_large.csv";
  std::string answers_path;
  size_t records = 200000, singles = 300, batches = 5;
  for (int arg_idx = 1; arg_idx < argc; ++arg_idx) {
    std::string arg = argv[arg_idx];
    if (arg_idx + 1 >= argc) Die("missing value for " + arg);
    std::string value = argv[++arg_idx];
    if (arg == "--records")
      records = std::stoul(value);
    else if (arg == "--single")
      singles = std::stoul(value);
    else if (arg == "--batches")
      batches = std::stoul(value);
    else if (arg == "--watchlist")
      watchlist_path = value;
    else if (arg == "--queries")
      queries_path = value;
    else if (arg == "--answers")
      answers_path = value;
    else
      Die("unknown flag " + arg);
  }
  if (!std::filesystem::exists(watchlist_path)) {
    std::printf("hitnohit_bench: %s missing; nothing measured\n", watchlist_path.c_str());
    return 0;
  }
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("entente-hitnohit-bench-" + entente::RandomHex(6)))
          .string();
  std::filesystem::create_directories(dir);
  const std::string db_path = dir + "/ma.db";

  // The store: the watchlist as Moroccan terrorism records, TLP:GREEN (all searchable).
  Clock::time_point t0 = Clock::now();
  auto watchlist = entente::match::LoadWatchlistCsv(watchlist_path, "bench-watchlist");
  if (!watchlist.ok()) Die(watchlist.status().ToString());
  if (watchlist->entities.size() > records) watchlist->entities.resize(records);
  {
    auto db = entente::Database::Open(db_path);
    if (!db.ok()) Die(db.status().ToString());
    Check(entente::RecordStore::Migrate(**db), "migrate");
    Check(hnh::HitNoHitStore::Migrate(**db), "migrate hitnohit");
    entente::RecordStore store(db->get());
    std::vector<entente::Record> chunk;
    for (entente::Entity& e : watchlist->entities) {
      e.meta.provenance.service = "DGSN-DGST";
      e.meta.category = entente::ThreatCategory::kTerrorism;
      e.meta.marking = {entente::Tlp::kGreen, {}};
      chunk.emplace_back(e);
      if (chunk.size() == 20000) {
        Check(store.PutAll(chunk).status(), "store");
        chunk.clear();
      }
    }
    if (!chunk.empty()) Check(store.PutAll(chunk).status(), "store");
    auto agreement = entente::exchange::ParseAgreement(
        "[partner]\nname = \"dgsi\"\nservice = \"DGSI\"\nprincipals = [\"dgsi\"]\n"
        "[share]\ncategories = [\"terrorism\"]\n",
        "bench agreement");
    if (!agreement.ok()) Die(agreement.status().ToString());
    Check(entente::exchange::ExchangeStore(db->get()).PutAgreement(*agreement), "agreement");
    std::ofstream(dir + "/secret") << kSecret << "\n";
    Check(hnh::HitNoHitStore(db->get()).PutSettingsText(
              *agreement,
              "[hitnohit]\nquota_per_day = 100000000\nrate_per_minute = 1000000\n"
              "privacy = \"allowed\"\nsecret_file = \"" +
                  dir + "/secret\"\n"),
          "settings");
  }
  std::printf("store: %zu records loaded in %.1f s\n", watchlist->entities.size(),
              Millis(t0) / 1000);

  // The answering node: HTTPS, client certificates verified against the CA.
  const std::string pki = dir + "/pki";
  Check(entente::server::CreateCa(pki, "bench CA"), "CA");
  Check(entente::server::IssueCertificate(pki, "server",
                                          {"localhost",
                                           entente::server::CertificateKind::kServer,
                                           {"localhost"},
                                           {"127.0.0.1"},
                                           30}),
        "server certificate");
  Check(entente::server::IssueCertificate(
            pki, "dgsi", {"dgsi", entente::server::CertificateKind::kClient, {}, {}, 30}),
        "client certificate");
  entente::server::ServerConfig config;
  config.db_target = db_path;
  config.port = 0;
  config.service = "DGSN-DGST";
  config.tls_cert = pki + "/server.crt";
  config.tls_key = pki + "/server.key";
  config.client_ca = pki + "/ca.crt";
  config.log_level = "warn";
  config.partners.push_back({"dgsi", "DGSI", "dgsi", "", entente::Tlp::kAmber});
  spdlog::set_level(spdlog::level::from_str(config.log_level));  // as `entente serve` does
  entente::server::HttpServer server(config);
  Check(hnh::MountHitNoHitRoutes(server.router()), "mount");
  Check(server.Start(), "start");

  httplib::Client client("https://127.0.0.1:" + std::to_string(server.port()), pki + "/dgsi.crt",
                         pki + "/dgsi.key");
  client.set_ca_cert_path((pki + "/ca.crt").c_str());
  client.enable_server_certificate_verification(true);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  client.set_read_timeout(300);

  auto rows = entente::match::ReadQueryCsv(queries_path);
  if (!rows.ok()) Die(rows.status().ToString());
  std::vector<hnh::AskQuery> queries;
  for (const entente::match::QueryRow& row : *rows) {
    if (!row.skip_reason.empty()) continue;
    queries.push_back(
        {row.id, row.query.name, row.query.birth_date, row.query.nationality, row.query.id_number});
  }
  auto keys = hnh::PrivacyKeys::Derive(kSecret);
  if (!keys.ok()) Die(keys.status().ToString());

  // The first query of each mode builds the in-memory indexes (once per process / secret).
  Run warm = Send(client, queries, 1, 1, nullptr);
  std::printf("first plain query (builds the match index over the store): %.0f ms\n",
              warm.latencies_ms[0]);
  warm = Send(client, queries, 1, 1, &*keys);
  std::printf("first private query (builds the privacy index for the secret): %.0f ms\n",
              warm.latencies_ms[0]);

  Run plain_single = Send(client, queries, 1, singles, nullptr);
  Print("plain, single queries", plain_single);
  Run private_single = Send(client, queries, 1, singles, &*keys);
  Print("private, single queries", private_single);
  Run plain_batch = Send(client, queries, 1000, batches, nullptr);
  Print("plain, batches of 1000", plain_batch);
  Run private_batch = Send(client, queries, 1000, batches, &*keys);
  Print("private, batches of 1000", private_batch);

  // Where the time of a batch goes: the engine alone on the same queries.
  const EngineTime plain_engine = EngineMillisPerBatch(queries, 1000, batches, nullptr, db_path);
  std::FILE* answers_out = nullptr;
  if (!answers_path.empty()) {
    answers_out = std::fopen(answers_path.c_str(), "w");
    if (answers_out == nullptr) Die(answers_path + ": cannot open for writing");
  }
  const EngineTime private_engine =
      EngineMillisPerBatch(queries, 1000, batches, &*keys, db_path, answers_out);
  if (answers_out != nullptr) std::fclose(answers_out);
  auto mean = [](const Run& run) {
    double sum = 0;
    for (double ms : run.latencies_ms) sum += ms;
    return run.latencies_ms.empty() ? 0 : sum / static_cast<double>(run.latencies_ms.size());
  };
  std::printf(
      "engine alone, batch of 1000:   plain %8.1f ms (%.0f%% of the request's %.1f ms), "
      "private %8.1f ms (%.0f%% of %.1f ms)\n",
      plain_engine.wall_ms, 100.0 * plain_engine.wall_ms / std::max(1e-9, mean(plain_batch)),
      mean(plain_batch), private_engine.wall_ms,
      100.0 * private_engine.wall_ms / std::max(1e-9, mean(private_batch)), mean(private_batch));
  std::printf("engine CPU, batch of 1000:     plain %8.1f ms, private %8.1f ms (private / plain %.2f)\n",
              plain_engine.cpu_ms, private_engine.cpu_ms,
              private_engine.cpu_ms / std::max(1e-9, plain_engine.cpu_ms));
  std::printf("engine threads: up to %u (hardware_concurrency %u, capped at 4)\n",
              std::min(4u, std::max(1u, std::thread::hardware_concurrency())),
              std::thread::hardware_concurrency());

  server.Stop();
  std::error_code error;
  std::filesystem::remove_all(dir, error);
  if (plain_batch.hits == 0 || private_batch.hits == 0) Die("no hits: the answers are wrong");
  return 0;
}
