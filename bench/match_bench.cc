// Matching engine benchmark: builds the index from a watchlist CSV, screens a query CSV at 1 and
// 2 threads, prints index build seconds, queries per second, memory, and (with --truth) the
// accuracy of the answers. Checks its own result: exits 1 when the screen skipped rows it should
// not have or, with --truth, when F1 is implausibly low (a broken build).
//
//   match_bench [--watchlist W.csv] [--queries Q.csv] [--truth T.csv] [--threads 1,2]
//               [--threshold T] [--top K] [--no-dob] [--hits OUT.csv] [--limit N]
//               [--synthesize N]
//
// Defaults: the 200k/100k set in ../shared/eval/screening_dev (watchlist_large.csv,
// queries_large.csv, truth_large.csv).
//
// --limit N keeps the first N entries of the watchlist; --synthesize N grows it to N entries
// with made-up ones (SynthesizeEntities below: the given names of one listed entity with the
// surname of another, dates and nationalities shifted; deterministic), to measure how time and
// memory grow past the largest real-shaped list. The queries' truth stays valid: synthesized
// entities have new ids and are never expected answers.
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/ids.h"
#include "match/matcher.h"
#include "screen/screen_csv.h"
#include "screen/watchlist_csv.h"

namespace {

long ReadProcStatusKb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::string(key).size());
  }
  return 0;
}

// CPU seconds used by the whole process (all threads). On a machine shared with other jobs,
// queries per CPU-second is the figure that does not depend on how busy the neighbours are.
double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// A name split into its surname and the rest: "SURNAME, Given Names" at the comma, else at the
// last space ("Given Names Surname").
std::pair<std::string, std::string> SplitName(const std::string& full) {
  size_t comma = full.find(',');
  if (comma != std::string::npos) {
    size_t given = full.find_first_not_of(' ', comma + 1);
    return {full.substr(0, comma), given == std::string::npos ? "" : full.substr(given)};
  }
  size_t space = full.rfind(' ');
  if (space == std::string::npos) return {full, ""};
  return {full.substr(space + 1), full.substr(0, space)};
}

// Grows `entities` to `target` entries. Entry i takes a donor A (its given names, its alias
// count, its birth date shifted by up to 3 years, its type) and a donor B (its surname, its
// nationality), picked by fixed strides through the real entries, so the made-up names have
// the real list's part frequencies and shapes.
void SynthesizeEntities(std::vector<entente::Entity>& entities, size_t target) {
  const size_t real = entities.size();
  if (real == 0 || target <= real) return;
  entities.reserve(target);
  for (size_t i = 0; entities.size() < target; ++i) {
    const entente::Entity& a = entities[(i * 7919) % real];
    const entente::Entity& b = entities[(i * 104729 + 13) % real];
    if (a.names.empty() || b.names.empty()) continue;
    entente::Entity made;
    made.type = a.type;
    const std::string key = std::to_string(i);
    made.meta.id = entente::DeterministicId(
        a.type == entente::EntityType::kOrganization ? "organization" : "person", "bench-synth",
        key);
    made.meta.version = 1;
    made.meta.provenance.service = "BENCH";
    made.meta.provenance.source = "bench-synth";
    made.meta.provenance.source_record_id = "SYNTH-" + key;
    const std::string surname = SplitName(b.names.front().full).first;
    for (const entente::Name& name : a.names) {
      const std::string given = SplitName(name.full).second;
      entente::Name made_name = name;
      made_name.full = given.empty() ? surname : surname + ", " + given;
      made.names.push_back(made_name);
    }
    for (entente::PartialDate date : a.birth_dates) {
      date.year += static_cast<int>(i % 7) - 3;
      if (date.month == 2 && date.day == 29) date.day = 28;
      made.birth_dates.push_back(date);
    }
    made.nationalities = b.nationalities;
    made.gender = a.gender;
    entities.push_back(std::move(made));
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = std::string(ENTENTE_SHARED_DIR) + "/eval/screening_dev/";
  std::string watchlist = dir + "watchlist_large.csv";
  std::string queries = dir + "queries_large.csv";
  std::string truth = dir + "truth_large.csv";
  std::string hits_path = "/tmp/entente_match_bench_hits.csv";
  std::vector<int> thread_counts = {1, 2};
  double threshold = entente::MatchIndex::DefaultThreshold();
  int top = 5;
  bool no_dob = false;
  long limit = 0;
  long synthesize = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value for %s\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--watchlist") {
      watchlist = next();
    } else if (arg == "--queries") {
      queries = next();
    } else if (arg == "--truth") {
      truth = next();
    } else if (arg == "--hits") {
      hits_path = next();
    } else if (arg == "--threshold") {
      threshold = std::atof(next().c_str());
    } else if (arg == "--top") {
      top = std::atoi(next().c_str());
    } else if (arg == "--no-dob") {
      no_dob = true;
    } else if (arg == "--limit") {
      limit = std::atol(next().c_str());
    } else if (arg == "--synthesize") {
      synthesize = std::atol(next().c_str());
    } else if (arg == "--threads") {
      thread_counts.clear();
      std::stringstream list(next());
      std::string item;
      while (std::getline(list, item, ',')) thread_counts.push_back(std::atoi(item.c_str()));
    } else {
      std::fprintf(stderr,
                   "usage: match_bench [--watchlist W] [--queries Q] [--truth T] "
                   "[--threads 1,2] [--threshold T] [--top K] [--no-dob] [--hits OUT] "
                   "[--limit N] [--synthesize N]\n");
      return 2;
    }
  }

  const long rss_before_kb = ReadProcStatusKb("VmRSS:");
  auto loaded = entente::match::LoadWatchlistCsv(watchlist);
  if (!loaded.ok()) {
    std::fprintf(stderr, "error: %s\n", loaded.status().ToString().c_str());
    return 1;
  }
  std::vector<entente::Entity>& entities = loaded->entities;
  if (limit > 0 && static_cast<long>(entities.size()) > limit) entities.resize(limit);
  if (synthesize > 0) SynthesizeEntities(entities, static_cast<size_t>(synthesize));
  const long rss_loaded_kb = ReadProcStatusKb("VmRSS:");

  auto build_start = std::chrono::steady_clock::now();
  const double build_cpu_start = ProcessCpuSeconds();
  std::unique_ptr<entente::MatchIndex> index = entente::MatchIndex::Create();
  for (const entente::Entity& entity : entities) index->Add(entity);
  // Stats() finishes the build (the fuzzy lookup's compact layer): timed with it.
  entente::MatchIndexStats stats = index->Stats();
  const double build_seconds = Seconds(build_start);
  const double build_cpu = ProcessCpuSeconds() - build_cpu_start;
  const long rss_index_kb = ReadProcStatusKb("VmRSS:");
  std::printf("watchlist      %s: %lld entities, %lld name variants\n", watchlist.c_str(),
              static_cast<long long>(stats.entities), static_cast<long long>(stats.name_variants));
  std::printf("index build    %.2f s wall, %.2f s CPU (%.0f entities/s)\n", build_seconds,
              build_cpu, stats.entities / std::max(build_seconds, 1e-9));
  std::printf(
      "index memory   %.1f MB counted, %.0f bytes per name variant (RSS +%.1f MB; "
      "entities as loaded: +%.1f MB)\n",
      stats.memory_bytes / 1e6,
      static_cast<double>(stats.memory_bytes) / std::max<int64_t>(stats.name_variants, 1),
      (rss_index_kb - rss_loaded_kb) / 1e3, (rss_loaded_kb - rss_before_kb) / 1e3);

  auto rows = entente::match::ReadQueryCsv(queries);
  if (!rows.ok()) {
    std::fprintf(stderr, "error: %s\n", rows.status().ToString().c_str());
    return 1;
  }
  if (no_dob) {
    for (auto& row : *rows) row.query.birth_date.reset();
  }
  std::vector<std::vector<entente::MatchResult>> results;
  entente::match::ScreenOptions options;
  options.threshold = threshold;
  options.top = top;
  bool first_run = true;
  for (int threads : thread_counts) {
    if (!first_run) {
      // A fresh index for each run (untimed): the per-thread memos of the previous run's
      // queries must not speed this one up.
      index = entente::MatchIndex::Create();
      for (const entente::Entity& entity : entities) index->Add(entity);
      index->Stats();
    }
    first_run = false;
    options.threads = threads;
    std::vector<entente::match::QueryRow> copy = *rows;
    const double cpu_start = ProcessCpuSeconds();
    entente::match::ScreenSummary summary =
        entente::match::ScreenQueries(*index, copy, options, &results);
    const double cpu = ProcessCpuSeconds() - cpu_start;
    std::printf(
        "screen         %d thread%s: %lld queries in %.2f s = %.0f queries/s "
        "(%lld skipped, %lld with hits); CPU %.2f s = %.0f queries per CPU-second\n",
        threads, threads == 1 ? "" : "s", static_cast<long long>(summary.screened), summary.seconds,
        summary.screened / std::max(summary.seconds, 1e-9), static_cast<long long>(summary.skipped),
        static_cast<long long>(summary.queries_with_hits), cpu,
        summary.screened / std::max(cpu, 1e-9));
    if (summary.skipped > 0) {
      for (const auto& row : copy) {
        if (!row.skip_reason.empty())
          std::fprintf(stderr, "  skipped %s\n", row.skip_reason.c_str());
      }
    }
    *rows = std::move(copy);
  }
  std::printf("peak memory    %.1f MB (VmHWM)\n", ReadProcStatusKb("VmHWM:") / 1e3);

  if (!truth.empty() && !results.empty()) {
    entente::Status written = entente::match::WriteHitsCsv(hits_path, *rows, results);
    if (!written.ok()) {
      std::fprintf(stderr, "error: %s\n", written.ToString().c_str());
      return 1;
    }
    auto report = entente::match::EvaluateHits(truth, hits_path, threshold);
    if (!report.ok()) {
      std::fprintf(stderr, "error: %s\n", report.status().ToString().c_str());
      return 1;
    }
    std::printf("accuracy       threshold %.2f%s\n%s\n", threshold,
                no_dob ? ", birth dates removed" : "", report->ToString().c_str());
    if (report->f1 < 0.5) {
      std::fprintf(stderr, "check failed: F1 %.3f is implausibly low\n", report->f1);
      return 1;
    }
  }
  return 0;
}
