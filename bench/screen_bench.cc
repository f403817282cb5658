// Screening at scale, end to end with the results stored (a plain main, not Google Benchmark:
// each phase is one long run, and peak memory is per process).
//
//   screen_bench --phase setup     loads the 200,000-entry watchlist into a fresh store and
//                                  writes the million-row list (queries_large.csv x 10, varied)
//   screen_bench --phase screen    RunScreening over the list: rows/s, hits, peak RSS
//   screen_bench --phase rescreen  changes 1,000 entities (900 new aliases, 100 new records)
//                                  and times Rescreen(): seconds, alerts, peak RSS
//
// Run the phases as separate processes to get each one's peak memory:
//   B=build-screen/bench/screen_bench; D=/tmp/screen_bench
//   $B --phase setup --dir $D && $B --phase screen --dir $D && $B --phase rescreen --dir $D
// --strategy server keeps the list indexes in a ContinuousScreener (the server's mode) and times
// a second batch of changes.
// Flags: --rows N (default 1000000), --list FILE (screen another list), --threads N (2), --changes
// N (1000),
//        --strategy auto|index-list|index-changes|server, --watchlist FILE, --queries FILE.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/csv.h"
#include "common/ids.h"
#include "screen/screen.h"
#include "screen/watchlist_csv.h"
#include "store/record_store.h"

namespace {

using namespace entente;
using namespace entente::screen;

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

// CPU seconds (user + system) used by this process so far: the machine is shared, so wall time
// alone says little.
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int Fail(const Status& status) {
  std::fprintf(stderr, "error: %s\n", status.ToString().c_str());
  return 1;
}

std::string Field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Variation `copy` of a name: 0 as is, 1 tokens rotated, 2 upper case, 3 one letter doubled,
// 4 two adjacent letters swapped, 5 first token dropped (when 3+), 6 lower case, 7 a hyphen
// between the first two tokens, 8 "El " prefix, 9 as is (birth date dropped instead).
std::string Vary(const std::string& name, int copy) {
  std::string out = name;
  switch (copy) {
    case 1: {
      auto space = out.find(' ');
      if (space != std::string::npos) out = out.substr(space + 1) + " " + out.substr(0, space);
      break;
    }
    case 2:
      for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      break;
    case 3:
      if (out.size() > 4) out.insert(out.begin() + out.size() / 2, out[out.size() / 2]);
      break;
    case 4:
      if (out.size() > 5) std::swap(out[out.size() / 2], out[out.size() / 2 + 1]);
      break;
    case 5: {
      auto first = out.find(' ');
      if (first != std::string::npos && out.find(' ', first + 1) != std::string::npos) {
        out = out.substr(first + 1);
      }
      break;
    }
    case 6:
      for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      break;
    case 7: {
      auto space = out.find(' ');
      if (space != std::string::npos) out[space] = '-';
      break;
    }
    case 8:
      out = "El " + out;
      break;
    default:
      break;
  }
  return out;
}

int Setup(const std::string& dir, const std::string& watchlist, const std::string& queries,
          int64_t rows) {
  std::filesystem::create_directories(dir);
  std::filesystem::remove(dir + "/store.db");
  std::filesystem::remove(dir + "/store.db-wal");
  std::filesystem::remove(dir + "/store.db-shm");
  auto start = std::chrono::steady_clock::now();
  auto loaded = match::LoadWatchlistCsv(watchlist, "watchlist-large");
  if (!loaded.ok()) return Fail(loaded.status());
  auto db = Database::Open(dir + "/store.db");
  if (!db.ok()) return Fail(db.status());
  if (Status s = MigrateScreen(**db); !s.ok()) return Fail(s);
  RecordStore store(db->get());
  std::vector<Record> batch;
  int64_t written = 0;
  for (Entity& entity : loaded->entities) {
    batch.emplace_back(std::move(entity));
    if (batch.size() == 20000) {
      auto put = store.PutAll(batch);
      if (!put.ok()) return Fail(put.status());
      written += static_cast<int64_t>(batch.size());
      batch.clear();
    }
  }
  if (!batch.empty()) {
    auto put = store.PutAll(batch);
    if (!put.ok()) return Fail(put.status());
    written += static_cast<int64_t>(batch.size());
  }
  std::printf("setup: %lld watchlist entities stored in %.1f s\n", static_cast<long long>(written),
              Seconds(start));

  start = std::chrono::steady_clock::now();
  auto reader = CsvReader::Open(queries);
  if (!reader.ok()) return Fail(reader.status());
  std::vector<std::vector<std::string>> source;
  std::vector<std::string> fields;
  Status error;
  (*reader)->Next(&fields, &error);  // header: id,name,birth_date,nationality,id_number
  while ((*reader)->Next(&fields, &error)) {
    if (error.ok() && fields.size() >= 5) source.push_back(fields);
  }
  std::ofstream out(dir + "/list.csv");
  out << "id,name,birth_date,nationality,id_number\n";
  int64_t made = 0;
  for (int copy = 0; made < rows; ++copy) {
    for (const auto& row : source) {
      if (made >= rows) break;
      out << row[0] << "-" << copy << "," << Field(Vary(row[1], copy % 10)) << ","
          << (copy % 10 == 9 ? "" : row[2]) << "," << row[3] << "," << Field(row[4]) << "\n";
      ++made;
    }
  }
  std::printf("setup: %lld list rows written to %s/list.csv in %.1f s\n",
              static_cast<long long>(made), dir.c_str(), Seconds(start));
  return 0;
}

int Screen(const std::string& dir, const std::string& list, int threads) {
  auto db = Database::Open(dir + "/store.db");
  if (!db.ok()) return Fail(db.status());
  if (Status s = MigrateScreen(**db); !s.ok()) return Fail(s);
  std::string name = "bench-" + std::to_string(std::time(nullptr));
  ScreeningOptions options;
  options.threads = threads;
  options.user = "bench";
  int64_t rejected = 0;
  options.on_row_error = [&rejected](const RowError&) { ++rejected; };
  const double cpu_start = CpuSeconds();
  auto start = std::chrono::steady_clock::now();
  auto created = CreateScreeningJob(
      **db, ScreenListInput{name, list.empty() ? dir + "/list.csv" : list}, options);
  if (!created.ok()) return Fail(created.status());
  double load_s = Seconds(start);
  auto screen_start = std::chrono::steady_clock::now();
  ProgressBar bar("screening", static_cast<uint64_t>(created->rows_total));
  auto job = ResumeScreening(**db, created->id, options, &bar);
  bar.Finish();
  if (!job.ok()) return Fail(job.status());
  double screen_s = Seconds(screen_start);
  double total_s = Seconds(start);
  std::printf(
      "screen: job %lld, %lld rows (%lld rejected/warned), %lld hits stored\n"
      "screen: list stored in %.1f s; index build + screening + hits stored in %.1f s\n"
      "screen: end to end %.1f s = %.0f rows/s with %d threads; %.1f CPU s; peak RSS %.0f MB\n",
      static_cast<long long>(job->id), static_cast<long long>(job->rows_total),
      static_cast<long long>(rejected), static_cast<long long>(job->hits), load_s, screen_s,
      total_s, job->rows_total / total_s, threads, CpuSeconds() - cpu_start, PeakRssMb());
  return 0;
}

// Changes `changes` entities: 90% new versions (an alias added) of existing entities, 10% new
// records. `salt` makes each call change other entities.
Status MakeChanges(RecordStore& store, int changes, int salt) {
  auto start = std::chrono::steady_clock::now();
  std::vector<Record> changed;
  RecordFilter filter;
  filter.types = {"person", "organization"};
  int64_t seen = 0;
  const int updates = changes * 9 / 10;
  Status scan = store.ForEachRecord(filter, [&](const Record& record) {
    if (seen++ % 150 != 7 + salt) return true;
    Entity entity = std::get<Entity>(record);
    entity.names.push_back(
        Name{entity.DisplayName() + " Jr " + std::to_string(salt), NameKind::kAlias, ""});
    changed.emplace_back(std::move(entity));
    return static_cast<int>(changed.size()) < updates;
  });
  ENTENTE_RETURN_IF_ERROR(scan);
  const int64_t stamp = std::time(nullptr);
  for (int i = static_cast<int>(changed.size()); i < changes; ++i) {
    Entity entity;
    entity.meta.id = DeterministicId(
        "person", "bench-new",
        std::to_string(stamp) + "-" + std::to_string(salt) + "-" + std::to_string(i));
    entity.meta.provenance = Provenance{"DGSI", "bench-new", "N-" + std::to_string(i), "", ""};
    entity.type = EntityType::kPerson;
    static const char* kGiven[] = {"Youssef", "Karim", "Nadia", "Omar", "Leila"};
    static const char* kFamily[] = {"Benhaddou", "Tazi", "Alaoui", "Berrada", "Lahlou"};
    entity.names.push_back(
        Name{std::string(kGiven[i % 5]) + " " + kFamily[(i / 5) % 5] + " " + std::to_string(i),
             NameKind::kPrimary, ""});
    changed.emplace_back(std::move(entity));
  }
  auto put = store.PutAll(changed);
  if (!put.ok()) return put.status();
  std::printf("rescreen: %zu entities changed in %.1f s (%lld new versions, %lld new)\n",
              changed.size(), Seconds(start), static_cast<long long>(put->updated),
              static_cast<long long>(put->created));
  return Status::Ok();
}

int Rescreen(const std::string& dir, int threads, int changes, const std::string& strategy) {
  auto db = Database::Open(dir + "/store.db");
  if (!db.ok()) return Fail(db.status());
  if (Status s = MigrateScreen(**db); !s.ok()) return Fail(s);
  RecordStore store(db->get());
  if (Status s = MakeChanges(store, changes, 0); !s.ok()) return Fail(s);
  RescreenOptions options;
  options.threads = threads;
  options.user = "bench";
  if (strategy == "index-list") options.strategy = RescreenStrategy::kIndexList;
  if (strategy == "index-changes") options.strategy = RescreenStrategy::kIndexChanges;
  if (strategy == "server") {
    // The server's mode: one screener keeping the list indexes; the first run builds them,
    // later runs cost only the changed entities' lookups.
    ContinuousScreener screener(/*keep_list_indexes=*/true);
    auto start = std::chrono::steady_clock::now();
    double cpu_first = CpuSeconds();
    auto first = screener.Run(**db, options);
    if (!first.ok()) return Fail(first.status());
    std::printf("rescreen (server, first run, builds the list indexes): %s; %.1f CPU s\n",
                first->ToString().c_str(), CpuSeconds() - cpu_first);
    std::printf("rescreen: kept list indexes: %.0f MB\n", screener.CachedIndexBytes() / 1e6);
    if (Status s = MakeChanges(store, changes, 1); !s.ok()) return Fail(s);
    start = std::chrono::steady_clock::now();
    const double cpu_start = CpuSeconds();
    auto second = screener.Run(**db, options);
    if (!second.ok()) return Fail(second.status());
    std::printf(
        "rescreen (server, steady state): %s\nrescreen: %.2f s, %.1f CPU s; peak RSS %.0f MB\n",
        second->ToString().c_str(), Seconds(start), CpuSeconds() - cpu_start, PeakRssMb());
    return 0;
  }
  auto start = std::chrono::steady_clock::now();
  const double cpu_start = CpuSeconds();
  auto summary = entente::screen::Rescreen(**db, options);
  if (!summary.ok()) return Fail(summary.status());
  std::printf("rescreen: %s\nrescreen: %.1f s, %.1f CPU s (%s); peak RSS %.0f MB\n",
              summary->ToString().c_str(), Seconds(start), CpuSeconds() - cpu_start,
              summary->strategy.c_str(), PeakRssMb());
  start = std::chrono::steady_clock::now();
  auto idle = entente::screen::Rescreen(**db, options);
  if (!idle.ok()) return Fail(idle.status());
  std::printf("rescreen: nothing changed: %.4f s\n", Seconds(start));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string phase = "all";
  std::string dir = "/tmp/entente-screen-bench";
  std::string shared = ENTENTE_SHARED_DIR;
  std::string watchlist = shared + "/eval/screening_dev/watchlist_large.csv";
  std::string queries = shared + "/eval/screening_dev/queries_large.csv";
  std::string strategy = "auto";
  std::string list;  // default: DIR/list.csv
  int64_t rows = 1000000;
  int threads = 2;
  int changes = 1000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--phase")
      phase = value;
    else if (flag == "--dir")
      dir = value;
    else if (flag == "--watchlist")
      watchlist = value;
    else if (flag == "--queries")
      queries = value;
    else if (flag == "--list")
      list = value;
    else if (flag == "--rows")
      rows = std::atoll(value.c_str());
    else if (flag == "--threads")
      threads = std::atoi(value.c_str());
    else if (flag == "--changes")
      changes = std::atoi(value.c_str());
    else if (flag == "--strategy")
      strategy = value;
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (!std::filesystem::exists(watchlist) || !std::filesystem::exists(queries)) {
    std::fprintf(stderr, "skipped: %s or %s missing\n", watchlist.c_str(), queries.c_str());
    return 0;
  }
  int rc = 0;
  if (phase == "setup" || phase == "all") rc = Setup(dir, watchlist, queries, rows);
  if (rc == 0 && (phase == "screen" || phase == "all")) rc = Screen(dir, list, threads);
  if (rc == 0 && (phase == "rescreen" || phase == "all"))
    rc = Rescreen(dir, threads, changes, strategy);
  return rc;
}
