// Import throughput: the OFAC SDN list's individuals replicated to about a million person
// records (ENTENTE_BENCH_RECORDS to change), imported into a fresh SQLite store through the
// same path `entente import --format sdn` takes (RunImport: reader -> validation -> one
// RecordStore::Writer transaction).
//
// Four benchmarks split where the time goes:
//   BM_SdnRead          parse sdn.csv/alt.csv and build the Entity records (no store)
//   BM_EncodeAndHash    the reader plus what the store does before SQL: validation and the
//                       one-pass body encoding with its BLAKE2b content hash (RecordEncoder)
//   BM_SdnImportSqlite  the whole import into SQLite (a new file per run)
//   BM_PeerPlainInsert  the peer: the same records' bodies (encoded beforehand, not timed)
//                       inserted with a plain sqlite3 INSERT loop into (id TEXT PRIMARY KEY,
//                       body TEXT), one prepared statement, one transaction, same pragmas.
//                       The ratio import/peer does not depend on the machine's load.
//   BM_SdnImportPostgres the whole import into PostgreSQL (ENTENTE_BENCH_PG: a libpq target
//                       whose public schema is dropped and made again before each run)
//   BM_PeerCopyPostgres  its peer: the same encoded bodies loaded with one plain COPY FROM
//                       STDIN into (id TEXT PRIMARY KEY, body TEXT), one transaction.
//   BM_PeerCopyStoreRowsPostgres  the second peer: the very rows an import writes (taken with
//                       COPY TO from a finished import, not timed) loaded with one plain COPY
//                       each into the store's own tables (records, record_versions: the same
//                       indexes and trigger), one transaction. What the import adds to the
//                       database's own cost of those rows.
// ENTENTE_BENCH_COMMIT_EVERY=N imports as `entente import --commit-every N` does (a check pass,
// then a commit every N records); unset or 0, the whole import is one transaction.
// Counters: records/s (wall) and records/cpu_s (process CPU, all threads). Needs
// ../shared/data/ofac_sdn (skips otherwise).
//
//   ninja -C build import_bench && ENTENTE_BENCH_RECORDS=100000 ./build/bench/import_bench
#include <benchmark/benchmark.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/csv.h"
#include "common/ids.h"
#include "ingest/ingest.h"
#include "ingest/sdn_reader.h"
#include "store/database.h"
#include "store/record_encoding.h"
#include "store/record_store.h"

namespace entente::ingest {
namespace {

int64_t TargetRecords() {
  const char* env = std::getenv("ENTENTE_BENCH_RECORDS");
  return env && *env ? std::atoll(env) : 1000000;
}

int64_t CommitEvery() {
  const char* env = std::getenv("ENTENTE_BENCH_COMMIT_EVERY");
  return env && *env ? std::atoll(env) : 0;
}

// sdn.csv and alt.csv with the individuals copied until there are `target` of them; copy k
// gets ent_num + k * 1,000,000 so every record id is new.
struct Replicated {
  SdnFiles files;
  int64_t persons = 0;
  bool ok = false;
};

const Replicated& Data() {
  static Replicated* data = [] {
    auto* out = new Replicated();
    std::string folder = std::string(ENTENTE_SHARED_DIR) + "/data/ofac_sdn";
    auto sdn = ReadFile(folder + "/sdn.csv");
    auto alt = ReadFile(folder + "/alt.csv");
    if (!sdn.ok() || !alt.ok()) return out;
    std::vector<std::pair<std::string, std::string>> rows;  // ent_num, rest of the line
    std::unordered_map<std::string, std::vector<std::string>> alts;
    size_t pos = 0;
    const std::string& s = *sdn;
    while (pos < s.size()) {
      size_t end = s.find('\n', pos);
      if (end == std::string::npos) end = s.size();
      std::string line = s.substr(pos, end - pos);
      pos = end + 1;
      size_t comma = line.find(',');
      if (comma == std::string::npos || line.find(",\"individual\",") == std::string::npos)
        continue;
      rows.emplace_back(line.substr(0, comma), line.substr(comma));
    }
    pos = 0;
    const std::string& a = *alt;
    while (pos < a.size()) {
      size_t end = a.find('\n', pos);
      if (end == std::string::npos) end = a.size();
      std::string line = a.substr(pos, end - pos);
      pos = end + 1;
      size_t comma = line.find(',');
      if (comma != std::string::npos) alts[line.substr(0, comma)].push_back(line.substr(comma));
    }
    int64_t target = TargetRecords();
    for (int64_t copy = 0; out->persons < target; ++copy) {
      for (const auto& [ent_num, rest] : rows) {
        if (out->persons >= target) break;
        std::string id = std::to_string(std::stoll(ent_num) + copy * 1000000);
        out->files.sdn += id + rest + "\n";
        if (auto it = alts.find(ent_num); it != alts.end())
          for (const std::string& alt_rest : it->second) out->files.alt += id + alt_rest + "\n";
        ++out->persons;
      }
    }
    out->files.folder = "replicated-sdn";
    out->ok = true;
    return out;
  }();
  return *data;
}

ImportDefaults Defaults() {
  ImportDefaults defaults;
  defaults.source = "ofac-sdn";
  defaults.service = "bench";
  defaults.grades = Grades{'A', 2};
  defaults.tlp = Tlp::kClear;
  return defaults;
}

void RegisterInMemoryFormat() {
  static bool done = [] {
    Status ok = FormatRegistry::Global().AddReader(
        {"sdn-bench", "the replicated SDN list, in memory",
         [](const std::string&) { return std::string("ofac-sdn"); }, Grades{'A', 2}, Tlp::kClear,
         [](const std::string&,
            const ImportDefaults& defaults) -> Result<std::unique_ptr<RecordReader>> {
           SdnFiles files = Data().files;
           ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<SdnReader> reader,
                                    SdnReader::FromFiles(std::move(files), defaults));
           return std::unique_ptr<RecordReader>(std::move(reader));
         }});
    return ok.ok();
  }();
  (void)done;
}

void BM_SdnRead(benchmark::State& state) {
  if (!Data().ok) return state.SkipWithError("../shared/data/ofac_sdn is missing");
  int64_t records = 0;
  for (auto _ : state) {
    auto reader = SdnReader::FromFiles(Data().files, Defaults());
    if (!reader.ok()) return state.SkipWithError(reader.status().ToString().c_str());
    ReadItem item;
    while (true) {
      auto more = (*reader)->Next(&item);
      if (!more.ok() || !*more) break;
      records += static_cast<int64_t>(item.records.size());
    }
  }
  state.counters["records"] = static_cast<double>(records) / state.iterations();
  state.counters["records/s"] =
      benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
}

// CPU seconds used by the whole process (all threads) so far.
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// records/s is over wall time; records/cpu_s over the process CPU seconds `cpu_seconds` spent
// in the measured work (the figure that holds on a loaded machine).
void SetRates(benchmark::State& state, int64_t records, double cpu_seconds = 0) {
  state.counters["records"] = static_cast<double>(records) / state.iterations();
  state.counters["records/s"] =
      benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
  if (cpu_seconds > 0) state.counters["records/cpu_s"] = records / cpu_seconds;
}

void BM_EncodeAndHash(benchmark::State& state) {
  if (!Data().ok) return state.SkipWithError("../shared/data/ofac_sdn is missing");
  int64_t records = 0;
  size_t bytes = 0;
  RecordEncoder encoder;
  VolatileFields fields;
  fields.first_seen = fields.last_seen = fields.created = fields.modified = "2026-01-01T00:00:00Z";
  fields.version = 1;
  for (auto _ : state) {
    auto reader = SdnReader::FromFiles(Data().files, Defaults());
    if (!reader.ok()) return state.SkipWithError(reader.status().ToString().c_str());
    ReadItem item;
    while (true) {
      auto more = (*reader)->Next(&item);
      if (!more.ok() || !*more) break;
      for (const Record& record : item.records) {
        if (const Entity* e = std::get_if<Entity>(&record))
          benchmark::DoNotOptimize(ValidateEntity(*e));
        encoder.EncodeContent(record);
        fields.change_seq = ++records;
        encoder.Finish(fields);
        bytes += encoder.body().size();
      }
    }
  }
  SetRates(state, records);
  state.counters["json_bytes/record"] = records ? static_cast<double>(bytes) / records : 0;
}

// The replicated records' ids and bodies, encoded once.
const std::vector<std::pair<std::string, std::string>>& EncodedBodies() {
  static auto* bodies = [] {
    auto* out = new std::vector<std::pair<std::string, std::string>>();
    auto reader = SdnReader::FromFiles(Data().files, Defaults());
    if (!reader.ok()) return out;
    RecordEncoder encoder;
    VolatileFields fields;
    fields.first_seen = fields.last_seen = fields.created = fields.modified =
        "2026-01-01T00:00:00Z";
    fields.version = 1;
    ReadItem item;
    while (true) {
      auto more = (*reader)->Next(&item);
      if (!more.ok() || !*more) break;
      for (const Record& record : item.records) {
        encoder.EncodeContent(record);
        fields.change_seq = static_cast<int64_t>(out->size()) + 1;
        encoder.Finish(fields);
        out->emplace_back(MetaOf(record).id, std::string(encoder.body()));
      }
    }
    return out;
  }();
  return *bodies;
}

void BM_PeerPlainInsert(benchmark::State& state) {
  if (!Data().ok) return state.SkipWithError("../shared/data/ofac_sdn is missing");
  const auto& bodies = EncodedBodies();
  double cpu_seconds = 0;
  std::string dir =
      (std::filesystem::temp_directory_path() / ("entente-import-peer-" + std::to_string(getpid())))
          .string();
  int64_t records = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    sqlite3* db = nullptr;
    if (sqlite3_open((dir + "/peer.db").c_str(), &db) != SQLITE_OK)
      return state.SkipWithError("cannot open the peer database");
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
                 "CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT NOT NULL);",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO t (id, body) VALUES (?, ?)", -1, &insert, nullptr);
    state.ResumeTiming();
    double cpu_before = ProcessCpuSeconds();
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (const auto& [id, body] : bodies) {
      sqlite3_bind_text(insert, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
      sqlite3_bind_text(insert, 2, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
      if (sqlite3_step(insert) != SQLITE_DONE) state.SkipWithError(sqlite3_errmsg(db));
      sqlite3_reset(insert);
      ++records;
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    cpu_seconds += ProcessCpuSeconds() - cpu_before;
    state.PauseTiming();
    sqlite3_finalize(insert);
    sqlite3_close(db);
    state.ResumeTiming();
  }
  std::filesystem::remove_all(dir);
  SetRates(state, records, cpu_seconds);
}

// The import of the replicated list, as the benchmarks run it.
ImportOptions BenchImport() {
  ImportOptions options;
  options.format = "sdn-bench";
  options.paths = {"replicated-sdn"};
  options.defaults = Defaults();
  options.progress = false;
  options.commit_every = CommitEvery();
  return options;
}

// Migrates `db`, then imports the replicated list into it with the clock running (entered and
// left with the clock paused) and checks the store's count. Adds to *records and *cpu_seconds.
Status ImportTimed(benchmark::State& state, Database& db, int64_t* records, double* cpu_seconds) {
  ENTENTE_RETURN_IF_ERROR(RecordStore::Migrate(db));
  RecordStore store(&db);
  ImportOptions options = BenchImport();
  state.ResumeTiming();
  double cpu_before = ProcessCpuSeconds();
  auto report = RunImport(store, options);
  *cpu_seconds += ProcessCpuSeconds() - cpu_before;
  state.PauseTiming();
  if (!report.ok()) return report.status();
  *records += report->records;
  auto stats = store.Stats();
  if (!stats.ok() || stats->records != report->records) return Internal("store count differs");
  return Status::Ok();
}

void BM_SdnImportSqlite(benchmark::State& state) {
  if (!Data().ok) return state.SkipWithError("../shared/data/ofac_sdn is missing");
  RegisterInMemoryFormat();
  double cpu_seconds = 0;
  std::string dir = (std::filesystem::temp_directory_path() /
                     ("entente-import-bench-" + std::to_string(getpid())))
                        .string();
  int64_t records = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto db = Database::Open(dir + "/bench.db");
    if (!db.ok()) return state.SkipWithError(db.status().ToString().c_str());
    Status imported = ImportTimed(state, **db, &records, &cpu_seconds);
    if (!imported.ok()) return state.SkipWithError(imported.ToString().c_str());
    state.ResumeTiming();
  }
  std::filesystem::remove_all(dir);
  SetRates(state, records, cpu_seconds);
}

// ENTENTE_BENCH_PG, or "" (the PostgreSQL benchmarks are skipped).
std::string PostgresTarget() {
  const char* env = std::getenv("ENTENTE_BENCH_PG");
  return env ? env : "";
}

// A PostgreSQL database emptied for one run (its public schema dropped and made again).
Result<std::unique_ptr<Database>> FreshPostgres() {
  ENTENTE_ASSIGN_OR_RETURN(auto db, Database::Open(PostgresTarget()));
  ENTENTE_RETURN_IF_ERROR(db->ExecuteScript("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"));
  return db;
}

void BM_SdnImportPostgres(benchmark::State& state) {
  if (!Data().ok) return state.SkipWithError("../shared/data/ofac_sdn is missing");
  if (PostgresTarget().empty()) return state.SkipWithError("set ENTENTE_BENCH_PG");
  RegisterInMemoryFormat();
  double cpu_seconds = 0;
  int64_t records = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto db = FreshPostgres();
    if (!db.ok()) return state.SkipWithError(db.status().ToString().c_str());
    Status imported = ImportTimed(state, **db, &records, &cpu_seconds);
    if (!imported.ok()) return state.SkipWithError(imported.ToString().c_str());
    state.ResumeTiming();
  }
  SetRates(state, records, cpu_seconds);
}

// COPY's text format: backslash, tab, newline and carriage return escaped.
void AppendCopyField(std::string_view value, std::string* out) {
  for (char c : value) {
    switch (c) {
      case '\\':
        *out += "\\\\";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      default:
        out->push_back(c);
    }
  }
}

void BM_PeerCopyPostgres(benchmark::State& state) {
  if (!Data().ok) return state.SkipWithError("../shared/data/ofac_sdn is missing");
  if (PostgresTarget().empty()) return state.SkipWithError("set ENTENTE_BENCH_PG");
  const auto& bodies = EncodedBodies();
  double cpu_seconds = 0;
  int64_t records = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto fresh = FreshPostgres();
    if (!fresh.ok()) return state.SkipWithError(fresh.status().ToString().c_str());
    PGconn* conn = PQconnectdb(PostgresTarget().c_str());
    PQclear(PQexec(conn, "CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT NOT NULL)"));
    state.ResumeTiming();
    double cpu_before = ProcessCpuSeconds();
    PQclear(PQexec(conn, "BEGIN"));
    PQclear(PQexec(conn, "COPY t (id, body) FROM STDIN"));
    std::string buffer;
    for (const auto& [id, body] : bodies) {
      AppendCopyField(id, &buffer);
      buffer.push_back('\t');
      AppendCopyField(body, &buffer);
      buffer.push_back('\n');
      if (buffer.size() > (1 << 20)) {
        PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size()));
        buffer.clear();
      }
      ++records;
    }
    PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size()));
    PQputCopyEnd(conn, nullptr);
    while (PGresult* res = PQgetResult(conn)) {
      if (PQresultStatus(res) != PGRES_COMMAND_OK) state.SkipWithError(PQresultErrorMessage(res));
      PQclear(res);
    }
    PQclear(PQexec(conn, "COMMIT"));
    cpu_seconds += ProcessCpuSeconds() - cpu_before;
    state.PauseTiming();
    PQfinish(conn);
    state.ResumeTiming();
  }
  SetRates(state, records, cpu_seconds);
}

// The text of `COPY table TO STDOUT` on `conn`, or "" on an error.
std::string CopyOut(PGconn* conn, const std::string& table) {
  std::string out;
  PGresult* res = PQexec(conn, ("COPY " + table + " TO STDOUT").c_str());
  bool copying = PQresultStatus(res) == PGRES_COPY_OUT;
  PQclear(res);
  if (!copying) return out;
  char* line = nullptr;
  int n;
  while ((n = PQgetCopyData(conn, &line, 0)) > 0) {
    out.append(line, n);
    PQfreemem(line);
  }
  while (PGresult* r = PQgetResult(conn)) PQclear(r);
  return out;
}

// Sends `text` (COPY's text format) into `table` with one COPY FROM STDIN; false on an error.
bool CopyIn(PGconn* conn, const std::string& table, const std::string& text) {
  PGresult* res = PQexec(conn, ("COPY " + table + " FROM STDIN").c_str());
  bool copying = PQresultStatus(res) == PGRES_COPY_IN;
  PQclear(res);
  if (!copying) return false;
  constexpr size_t kChunk = 1 << 20;
  for (size_t at = 0; at < text.size(); at += kChunk) {
    size_t n = std::min(kChunk, text.size() - at);
    if (PQputCopyData(conn, text.data() + at, static_cast<int>(n)) != 1) return false;
  }
  bool ok = PQputCopyEnd(conn, nullptr) == 1;
  while (PGresult* r = PQgetResult(conn)) {
    ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
  }
  return ok;
}

void BM_PeerCopyStoreRowsPostgres(benchmark::State& state) {
  if (!Data().ok) return state.SkipWithError("../shared/data/ofac_sdn is missing");
  if (PostgresTarget().empty()) return state.SkipWithError("set ENTENTE_BENCH_PG");
  RegisterInMemoryFormat();
  // The rows of one import, untimed.
  std::string versions, records;
  {
    auto db = FreshPostgres();
    if (!db.ok()) return state.SkipWithError(db.status().ToString().c_str());
    if (!RecordStore::Migrate(**db).ok()) return state.SkipWithError("migration failed");
    RecordStore store(db->get());
    auto report = RunImport(store, BenchImport());
    if (!report.ok()) return state.SkipWithError(report.status().ToString().c_str());
    PGconn* conn = PQconnectdb(PostgresTarget().c_str());
    versions = CopyOut(conn, "record_versions");
    records = CopyOut(conn, "records");
    PQfinish(conn);
    if (versions.empty() || records.empty()) return state.SkipWithError("COPY TO failed");
  }
  double cpu_seconds = 0;
  int64_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto db = FreshPostgres();
    if (!db.ok()) return state.SkipWithError(db.status().ToString().c_str());
    if (!RecordStore::Migrate(**db).ok()) return state.SkipWithError("migration failed");
    PGconn* conn = PQconnectdb(PostgresTarget().c_str());
    state.ResumeTiming();
    double cpu_before = ProcessCpuSeconds();
    PQclear(PQexec(conn, "BEGIN"));
    bool ok = CopyIn(conn, "record_versions", versions) && CopyIn(conn, "records", records);
    PQclear(PQexec(conn, "COMMIT"));
    cpu_seconds += ProcessCpuSeconds() - cpu_before;
    state.PauseTiming();
    PQfinish(conn);
    if (!ok) return state.SkipWithError("COPY FROM failed");
    rows += std::count(records.begin(), records.end(), '\n');
    state.ResumeTiming();
  }
  SetRates(state, rows, cpu_seconds);
}

BENCHMARK(BM_SdnRead)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_EncodeAndHash)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_SdnImportSqlite)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_PeerPlainInsert)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_SdnImportPostgres)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_PeerCopyPostgres)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_PeerCopyStoreRowsPostgres)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace
}  // namespace entente::ingest

BENCHMARK_MAIN();
