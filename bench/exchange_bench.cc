// Exchange throughput: STIX bundle import, publishing a collection (agreement + signatures),
// and a full TAXII pull of N persons between two nodes over loopback HTTPS with mutual TLS,
// each beside the plain SQLite import of the same records (the ratio is the exchange's
// overhead). N defaults to 20,000; ENTENTE_BENCH_PERSONS=200000 for the figure in
// docs/PERFORMANCE.md. Each benchmark checks its result.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>

#include "common/ids.h"
#include "exchange/collection.h"
#include "exchange/exchange_store.h"
#include "exchange/partner_sync.h"
#include "exchange/stix_bundle.h"
#include "server/http_server.h"
#include "server/pki.h"
#include "store/record_store.h"

namespace entente::exchange {
namespace {

namespace fs = std::filesystem;

int64_t Persons() {
  const char* env = std::getenv("ENTENTE_BENCH_PERSONS");
  return env ? std::atoll(env) : 20000;
}

std::vector<Record> MakePersons(int64_t n) {
  std::vector<Record> out;
  out.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    Entity e;
    e.meta.id = DeterministicId("person", "bench", std::to_string(i));
    e.meta.provenance = {"DGSN-DGST", "bench", "B-" + std::to_string(i), "", ""};
    e.meta.grades = {'B', 2};
    e.meta.category = ThreatCategory::kTerrorism;
    e.meta.marking.tlp = Tlp::kAmber;
    e.meta.created = "2026-01-01T00:00:00.000Z";
    e.meta.modified = "2026-01-01T00:00:00.000Z";
    e.type = EntityType::kPerson;
    e.names = {{"Person " + std::to_string(i) + " EL IDRISSI", NameKind::kPrimary, "Latn"},
               {"Mohamed " + std::to_string(i), NameKind::kAlias, "Latn"}};
    e.birth_dates = {*PartialDate::Parse("1980-01-02")};
    e.nationalities = {"MA"};
    e.documents = {{"passport", "P" + std::to_string(i), "MA", "", ""}};
    out.push_back(std::move(e));
  }
  return out;
}

fs::path TempDir(const char* name) {
  fs::path dir = fs::temp_directory_path() / (std::string(name) + "_" + RandomHex(4));
  fs::create_directories(dir);
  return dir;
}

std::unique_ptr<Database> OpenStore(const fs::path& path) {
  auto db = std::move(Database::Open(path.string()).value());
  (void)RecordStore::Migrate(*db);
  (void)ExchangeStore::Migrate(*db);
  return db;
}

void BM_PlainSqliteImport(benchmark::State& state) {
  auto records = MakePersons(Persons());
  for (auto _ : state) {
    fs::path dir = TempDir("bench_plain");
    auto db = OpenStore(dir / "s.db");
    auto put = RecordStore(db.get()).PutAll(records);
    if (!put.ok() || put->created != static_cast<int64_t>(records.size()))
      state.SkipWithError("import failed");
    db.reset();
    fs::remove_all(dir);
  }
  state.counters["objects/s"] = benchmark::Counter(
      static_cast<double>(records.size()) * state.iterations(), benchmark::Counter::kIsRate);
}

void BM_StixBundleImport(benchmark::State& state) {
  auto records = MakePersons(Persons());
  std::string bundle = BuildStixBundle(records).dump();
  for (auto _ : state) {
    fs::path dir = TempDir("bench_stix");
    auto db = OpenStore(dir / "s.db");
    auto parsed = ParseStixBundle(bundle, StixImportContext{}, true);
    if (!parsed.ok()) state.SkipWithError(parsed.status().ToString().c_str());
    auto put = RecordStore(db.get()).PutAll(*parsed);
    if (!put.ok() || put->created != static_cast<int64_t>(records.size()))
      state.SkipWithError("import failed");
    db.reset();
    fs::remove_all(dir);
  }
  state.counters["objects/s"] = benchmark::Counter(
      static_cast<double>(records.size()) * state.iterations(), benchmark::Counter::kIsRate);
}

const char* kAgreement = R"(
[partner]
name = "dgsi"
service = "DGSI"
principals = ["dgsi"]
[share]
categories = ["*"]
max_tlp = "AMBER"
)";

// Publishing: evaluate the agreement, map, canonicalize and sign every record.
void BM_PublishCollection(benchmark::State& state) {
  auto records = MakePersons(Persons());
  for (auto _ : state) {
    state.PauseTiming();
    fs::path dir = TempDir("bench_publish");
    auto db = OpenStore(dir / "s.db");
    (void)RecordStore(db.get()).PutAll(records);
    Agreement a = *ParseAgreement(kAgreement);
    (void)ExchangeStore(db.get()).PutAgreement(a);
    state.ResumeTiming();
    auto published = PublishOutbound(*db, "DGSN-DGST", a);
    if (!published.ok() || published->added != static_cast<int64_t>(records.size()))
      state.SkipWithError("publish failed");
    state.PauseTiming();
    db.reset();
    fs::remove_all(dir);
    state.ResumeTiming();
  }
  state.counters["objects/s"] = benchmark::Counter(
      static_cast<double>(records.size()) * state.iterations(), benchmark::Counter::kIsRate);
}

// A full pull over loopback HTTPS with mutual TLS; the collection is published beforehand.
void BM_TaxiiFullPull(benchmark::State& state) {
  auto records = MakePersons(Persons());
  fs::path dir = TempDir("bench_pull");
  std::string pki = (dir / "pki").string();
  if (!server::CreateCa(pki, "bench CA").ok() ||
      !server::IssueCertificate(
           pki, "server",
           {"localhost", server::CertificateKind::kServer, {"localhost"}, {"127.0.0.1"}, 30})
           .ok() ||
      !server::IssueCertificate(pki, "dgsi", {"dgsi", server::CertificateKind::kClient, {}, {}, 30})
           .ok()) {
    state.SkipWithError("pki failed");
    return;
  }
  auto ma = OpenStore(dir / "ma.db");
  (void)RecordStore(ma.get()).PutAll(records);
  Agreement a = *ParseAgreement(kAgreement);
  (void)ExchangeStore(ma.get()).PutAgreement(a);
  (void)PublishOutbound(*ma, "DGSN-DGST", a);
  std::string ma_key = ExchangeStore(ma.get()).NodeKey()->public_key;
  ma.reset();
  server::ServerConfig config;
  config.db_target = (dir / "ma.db").string();
  config.port = 0;
  config.service = "DGSN-DGST";
  config.log_level = "warn";
  config.tls_cert = pki + "/server.crt";
  config.tls_key = pki + "/server.key";
  config.client_ca = pki + "/ca.crt";
  config.partners.push_back({"dgsi", "DGSI", "dgsi", "", Tlp::kAmber});
  server::HttpServer http(config);
  if (Status s = http.Start(); !s.ok()) {
    state.SkipWithError(s.ToString().c_str());
    return;
  }
  for (auto _ : state) {
    state.PauseTiming();
    fs::path fr_path = dir / ("fr_" + RandomHex(3) + ".db");
    auto fr = OpenStore(fr_path);
    std::string text = "[partner]\nname = \"dgst\"\nservice = \"DGSN-DGST\"\nurl = \"" +
                       http.url() + "/taxii2/\"\npublic_key = \"" + ma_key + "\"\nca_cert = \"" +
                       pki + "/ca.crt\"\nclient_cert = \"" + pki + "/dgsi.crt\"\nclient_key = \"" +
                       pki + "/dgsi.key\"\n[share]\ncategories = [\"*\"]\n";
    (void)ExchangeStore(fr.get()).PutAgreement(*ParseAgreement(text));
    state.ResumeTiming();
    SyncOptions options;
    options.page_size = 5000;
    auto report = SyncPartner(*fr, "DGSI", "dgst", options);
    if (!report.ok()) {
      state.SkipWithError(report.status().ToString().c_str());
      break;
    }
    if (report->created != static_cast<int64_t>(records.size()))
      state.SkipWithError("pull incomplete");
    state.PauseTiming();
    fr.reset();
    fs::remove(fr_path);
    state.ResumeTiming();
  }
  http.Stop();
  fs::remove_all(dir);
  state.counters["objects/s"] = benchmark::Counter(
      static_cast<double>(records.size()) * state.iterations(), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_PlainSqliteImport)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_StixBundleImport)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_PublishCollection)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_TaxiiFullPull)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace entente::exchange

BENCHMARK_MAIN();
