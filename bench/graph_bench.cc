// Graph and risk benchmark: builds a synthetic intelligence graph (default 1M entities, 5M
// relationships, with community structure and 5% flagged entities), then measures
//   build time and memory, 2-hop neighbourhood p50/p99, all-shortest-paths p50/p99,
//   Leiden communities and PageRank over the whole graph, risk ranking of 100k hits,
// and compares the neighbourhood and path queries with recursive CTEs in SQLite over the same
// edges (the ratio is the point).
//
//   graph_bench [--nodes N] [--edges M] [--queries Q] [--sqlite-queries S] [--no-sqlite]
//               [--risk-rows R] [--db PATH]
//
// Prints a Markdown table (docs/PERFORMANCE.md "Graph and risk" keeps the figures).
// A plain main rather than Google Benchmark: each step runs once over a large graph, and
// latencies are per-query distributions.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "graph/dates.h"
#include "graph/graph.h"
#include "risk/risk_engine.h"

namespace {

using namespace entente;
using namespace entente::graph;
using Clock = std::chrono::steady_clock;

// Process CPU seconds (all threads): on a shared machine wall time includes waiting for a core.
double CpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one;
}

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

long RssKiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

std::string Id(const char* prefix, uint64_t number) {
  char buffer[80];
  std::snprintf(buffer, sizeof(buffer), "%s--%08llx-0000-4000-8000-%012llx", prefix,
                static_cast<unsigned long long>(number >> 48),
                static_cast<unsigned long long>(number & 0xFFFFFFFFFFFFull));
  return buffer;
}

struct Percentiles {
  double p50 = 0, p99 = 0, mean = 0;
};
Percentiles Summarize(std::vector<double> micros) {
  Percentiles out;
  if (micros.empty()) return out;
  std::sort(micros.begin(), micros.end());
  out.p50 = micros[micros.size() / 2];
  out.p99 = micros[std::min(micros.size() - 1, micros.size() * 99 / 100)];
  double sum = 0;
  for (double value : micros) sum += value;
  out.mean = sum / micros.size();
  return out;
}

struct Args {
  uint64_t nodes = 1000000;
  uint64_t edges = 5000000;
  int queries = 1000;
  int sqlite_queries = 100;
  bool sqlite = true;
  int risk_rows = 100000;
  std::string db = "";
};

const char* kPrefixes[] = {"person", "person", "person", "person", "person",
                           "person", "person", "phone",  "phone",  "organization"};
const EntityType kTypes[] = {EntityType::kPerson,      EntityType::kPerson, EntityType::kPerson,
                             EntityType::kPerson,      EntityType::kPerson, EntityType::kPerson,
                             EntityType::kPerson,      EntityType::kPhone,  EntityType::kPhone,
                             EntityType::kOrganization};

}  // namespace

int main(int argc, char** argv) {
  Args args;
  for (int arg_idx = 1; arg_idx < argc; ++arg_idx) {
    std::string flag = argv[arg_idx];
    auto next = [&]() -> const char* {
      if (arg_idx + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", flag.c_str());
        std::exit(2);
      }
      return argv[++arg_idx];
    };
    if (flag == "--nodes")
      args.nodes = std::strtoull(next(), nullptr, 10);
    else if (flag == "--edges")
      args.edges = std::strtoull(next(), nullptr, 10);
    else if (flag == "--queries")
      args.queries = std::atoi(next());
    else if (flag == "--sqlite-queries")
      args.sqlite_queries = std::atoi(next());
    else if (flag == "--no-sqlite")
      args.sqlite = false;
    else if (flag == "--risk-rows")
      args.risk_rows = std::atoi(next());
    else if (flag == "--db")
      args.db = next();
    else {
      std::fprintf(stderr,
                   "usage: graph_bench [--nodes N] [--edges M] [--queries Q] "
                   "[--sqlite-queries S] [--no-sqlite] [--risk-rows R] [--db PATH]\n");
      return 2;
    }
  }
  std::printf("# graph_bench: %llu entities, %llu relationships\n\n",
              static_cast<unsigned long long>(args.nodes),
              static_cast<unsigned long long>(args.edges));

  // --- Synthetic data: groups of ~100 entities; 80% of relationships inside a group. ---
  std::mt19937_64 rng(42);
  const uint64_t group_size = 100;
  std::vector<std::pair<uint32_t, uint32_t>> edge_list;
  edge_list.reserve(args.edges);
  for (uint64_t edge_idx = 0; edge_idx < args.edges; ++edge_idx) {
    uint32_t a = static_cast<uint32_t>(rng() % args.nodes);
    uint32_t b;
    if (rng() % 10 < 8) {
      uint64_t group_start = a / group_size * group_size;
      b = static_cast<uint32_t>(
          std::min<uint64_t>(args.nodes - 1, group_start + rng() % group_size));
    } else {
      b = static_cast<uint32_t>(rng() % args.nodes);
    }
    if (a == b) b = static_cast<uint32_t>((b + 1) % args.nodes);
    edge_list.emplace_back(a, b);
  }

  long rss_before = RssKiB();
  Clock::time_point start = Clock::now();
  double cpu_start = CpuSeconds();
  EntityGraph graph;
  graph.BeginBulk();
  {
    Entity entity;
    entity.names.push_back(Name{"", NameKind::kPrimary, "Latn"});
    entity.meta.provenance.service = "DGSN-DGST";
    entity.meta.provenance.source = "bench";
    entity.meta.grades = Grades{'B', 2};
    entity.meta.marking = Marking{Tlp::kAmber, {}};
    entity.meta.modified = "2024-01-15T00:00:00Z";
    for (uint64_t node = 0; node < args.nodes; ++node) {
      const int kind = static_cast<int>(node % 10);
      entity.meta.id = Id(kPrefixes[kind], node);
      entity.type = kTypes[kind];
      entity.names[0].full = "Entity " + std::to_string(node);
      entity.meta.category =
          rng() % 20 == 0 ? static_cast<ThreatCategory>(rng() % 5) : ThreatCategory::kOther;
      graph.Apply(entity);
    }
    Relationship relationship;
    relationship.meta.provenance.service = "DGSN-DGST";
    relationship.meta.grades = Grades{'B', 2};
    for (uint64_t edge_idx = 0; edge_idx < edge_list.size(); ++edge_idx) {
      relationship.meta.id = Id("relationship", edge_idx);
      relationship.source_id =
          Id(kPrefixes[edge_list[edge_idx].first % 10], edge_list[edge_idx].first);
      relationship.target_id =
          Id(kPrefixes[edge_list[edge_idx].second % 10], edge_list[edge_idx].second);
      relationship.type = static_cast<RelationshipType>(rng() % 8);
      graph.Apply(relationship);
    }
  }
  graph.EndBulk();
  const double build_seconds = Seconds(start);
  const double build_cpu = CpuSeconds() - cpu_start;
  const long rss_after = RssKiB();
  GraphStats stats = graph.Stats();
  std::printf("| measure | entente | SQLite recursive CTE | ratio |\n|---|---|---|---|\n");
  std::printf("| load average at start | %s (2 cores shared) | | |\n", LoadAverage().c_str());
  std::printf("| build (apply %llu records + CSR), wall / CPU | %.1f s / %.1f s | | |\n",
              static_cast<unsigned long long>(args.nodes + args.edges), build_seconds, build_cpu);
  std::printf("| graph memory (own accounting) | %.0f MiB | | |\n", stats.memory_bytes / 1048576.0);
  std::printf("| process RSS growth during build | %.0f MiB | | |\n",
              (rss_after - rss_before) / 1024.0);

  // --- Queries. ---
  std::vector<NodeIndex> seeds(args.queries);
  std::vector<std::pair<NodeIndex, NodeIndex>> pairs(args.queries);
  for (int query_idx = 0; query_idx < args.queries; ++query_idx) {
    seeds[query_idx] = static_cast<NodeIndex>(rng() % args.nodes);
    pairs[query_idx] = {static_cast<NodeIndex>(rng() % args.nodes),
                        static_cast<NodeIndex>(rng() % args.nodes)};
  }
  // The graph assigns indices in order of first appearance, which here is the entity number.
  CompiledFilter no_filter;
  std::vector<double> hood_us, path_us;
  size_t hood_nodes = 0;
  for (NodeIndex seed : seeds) {
    Clock::time_point query_start = Clock::now();
    Subgraph sub = Neighbourhood(graph, seed, 2, no_filter, 1000000);
    hood_us.push_back(Seconds(query_start) * 1e6);
    hood_nodes += sub.nodes.size();
  }
  int found = 0;
  double total_length = 0;
  for (const auto& [from, to] : pairs) {
    Clock::time_point query_start = Clock::now();
    PathSet paths = ShortestPaths(graph, from, to, no_filter, 8, 20);
    path_us.push_back(Seconds(query_start) * 1e6);
    if (paths.length >= 0) {
      ++found;
      total_length += paths.length;
    }
  }
  Percentiles hood = Summarize(hood_us);
  Percentiles path = Summarize(path_us);

  // --- Whole-graph analyses. ---
  start = Clock::now();
  cpu_start = CpuSeconds();
  auto pagerank = Centrality(graph, {}, no_filter, {CentralityMeasure::kPageRank});
  const double pagerank_seconds = Seconds(start);
  const double pagerank_cpu = CpuSeconds() - cpu_start;
  start = Clock::now();
  cpu_start = CpuSeconds();
  auto communities = DetectCommunities(graph, {}, no_filter);
  const double leiden_seconds = Seconds(start);
  const double leiden_cpu = CpuSeconds() - cpu_start;
  start = Clock::now();
  Components components = ConnectedComponents(graph, no_filter);
  const double components_seconds = Seconds(start);

  // --- Risk ranking of a screened list's hits. ---
  auto rules = risk::DefaultRiskRules();
  risk::RiskEngine engine(*rules, graph);
  std::vector<risk::RiskSubject> subjects(args.risk_rows);
  for (int row = 0; row < args.risk_rows; ++row) {
    uint64_t node = rng() % args.nodes;
    subjects[row].entity_id = Id(kPrefixes[node % 10], node);
    subjects[row].match_score = 0.7 + (rng() % 300) / 1000.0;
    subjects[row].label = "row " + std::to_string(row);
  }
  start = Clock::now();
  cpu_start = CpuSeconds();
  auto ranked = engine.Rank(subjects, Viewer::Of("DGSN-DGST", Tlp::kAmber), Today(), 1);
  const double risk_seconds_1 = Seconds(start);
  const double risk_cpu_1 = CpuSeconds() - cpu_start;
  start = Clock::now();
  ranked = engine.Rank(subjects, Viewer::Of("DGSN-DGST", Tlp::kAmber), Today(), 2);
  const double risk_seconds_2 = Seconds(start);

  // --- SQLite recursive CTEs over the same edges. ---
  Percentiles sql_hood, sql_path, ours_hood_sample, ours_path_sample;
  double sqlite_load_seconds = 0;
  int sql_path_agree = 0, sql_path_done = 0;
  if (args.sqlite) {
    std::string path =
        args.db.empty()
            ? (std::filesystem::temp_directory_path() / "entente_graph_bench.db").string()
            : args.db;
    std::filesystem::remove(path);
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db,
                 "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000;"
                 "CREATE TABLE edges(src INTEGER NOT NULL, dst INTEGER NOT NULL);",
                 nullptr, nullptr, nullptr);
    start = Clock::now();
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO edges VALUES (?, ?), (?, ?)", -1, &insert, nullptr);
    for (const auto& [a, b] : edge_list) {
      sqlite3_bind_int64(insert, 1, a);
      sqlite3_bind_int64(insert, 2, b);
      sqlite3_bind_int64(insert, 3, b);
      sqlite3_bind_int64(insert, 4, a);
      sqlite3_step(insert);
      sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    sqlite3_exec(db, "COMMIT; CREATE INDEX edges_src ON edges(src, dst); ANALYZE;", nullptr,
                 nullptr, nullptr);
    sqlite_load_seconds = Seconds(start);

    sqlite3_stmt* hood_stmt = nullptr;
    sqlite3_prepare_v2(db,
                       "WITH RECURSIVE hood(node, depth) AS (SELECT ?1, 0 UNION "
                       "SELECT e.dst, h.depth + 1 FROM hood h JOIN edges e ON e.src = h.node "
                       "WHERE h.depth < 2) SELECT count(DISTINCT node) FROM hood",
                       -1, &hood_stmt, nullptr);
    std::vector<double> sql_hood_us, ours_us;
    const int sample = std::min(args.sqlite_queries, args.queries);
    for (int query_idx = 0; query_idx < sample; ++query_idx) {
      Clock::time_point query_start = Clock::now();
      sqlite3_bind_int64(hood_stmt, 1, seeds[query_idx]);
      sqlite3_step(hood_stmt);
      int64_t count = sqlite3_column_int64(hood_stmt, 0);
      sqlite3_reset(hood_stmt);
      sql_hood_us.push_back(Seconds(query_start) * 1e6);
      Subgraph sub = Neighbourhood(graph, seeds[query_idx], 2, no_filter, 1000000);
      if (static_cast<int64_t>(sub.nodes.size()) != count) {
        std::fprintf(stderr, "mismatch: seed %u entente %zu sqlite %lld\n", seeds[query_idx],
                     sub.nodes.size(), static_cast<long long>(count));
      }
      ours_us.push_back(hood_us[query_idx]);
    }
    sqlite3_finalize(hood_stmt);
    sql_hood = Summarize(sql_hood_us);
    ours_hood_sample = Summarize(ours_us);

    // Path length by a depth-bounded breadth-first recursive CTE, for pairs at most 4 hops
    // apart (beyond that the CTE takes minutes per query). The same pairs for entente.
    sqlite3_stmt* path_stmt = nullptr;
    sqlite3_prepare_v2(db,
                       "WITH RECURSIVE reach(node, depth) AS (SELECT ?1, 0 UNION "
                       "SELECT e.dst, r.depth + 1 FROM reach r JOIN edges e ON e.src = r.node "
                       "WHERE r.depth < ?3) SELECT min(depth) FROM reach WHERE node = ?2",
                       -1, &path_stmt, nullptr);
    std::vector<double> sql_path_us, ours_path_us;
    for (int query_idx = 0; query_idx < args.queries && sql_path_done < sample; ++query_idx) {
      // A pair 3-4 hops apart: walk from a random seed.
      NodeIndex from = seeds[query_idx];
      Subgraph sub = Neighbourhood(graph, from, 3, no_filter, 1000000);
      NodeIndex to = sub.nodes.back();
      Clock::time_point ours_start = Clock::now();
      PathSet paths = ShortestPaths(graph, from, to, no_filter, 8, 20);
      ours_path_us.push_back(Seconds(ours_start) * 1e6);
      Clock::time_point query_start = Clock::now();
      sqlite3_bind_int64(path_stmt, 1, from);
      sqlite3_bind_int64(path_stmt, 2, to);
      sqlite3_bind_int64(path_stmt, 3, paths.length);
      sqlite3_step(path_stmt);
      int64_t length = sqlite3_column_int64(path_stmt, 0);
      sqlite3_reset(path_stmt);
      sql_path_us.push_back(Seconds(query_start) * 1e6);
      ++sql_path_done;
      if (length == paths.length) ++sql_path_agree;
    }
    sqlite3_finalize(path_stmt);
    sql_path = Summarize(sql_path_us);
    ours_path_sample = Summarize(ours_path_us);
    sqlite3_close(db);
    std::filesystem::remove(path);
  }

  std::printf(
      "| 2-hop neighbourhood p50 / p99 (%d seeds, mean %.0f entities) | %.0f / %.0f us | | |\n",
      args.queries, static_cast<double>(hood_nodes) / args.queries, hood.p50, hood.p99);
  std::printf(
      "| all shortest paths p50 / p99 (%d random pairs, %d connected, mean %.1f hops) | %.0f / "
      "%.0f us | | |\n",
      args.queries, found, found ? total_length / found : 0.0, path.p50, path.p99);
  if (args.sqlite) {
    std::printf(
        "| 2-hop neighbourhood p50 / p99 (%d seeds) | %.0f / %.0f us | %.0f / %.0f us | %.0fx / "
        "%.0fx |\n",
        std::min(args.sqlite_queries, args.queries), ours_hood_sample.p50, ours_hood_sample.p99,
        sql_hood.p50, sql_hood.p99, sql_hood.p50 / std::max(1.0, ours_hood_sample.p50),
        sql_hood.p99 / std::max(1.0, ours_hood_sample.p99));
    std::printf(
        "| shortest path p50 / p99 (%d pairs 3 hops apart; CTE gives length only, %d agree) | %.0f "
        "/ %.0f us | %.0f / %.0f us | %.0fx / %.0fx |\n",
        sql_path_done, sql_path_agree, ours_path_sample.p50, ours_path_sample.p99, sql_path.p50,
        sql_path.p99, sql_path.p50 / std::max(1.0, ours_path_sample.p50),
        sql_path.p99 / std::max(1.0, ours_path_sample.p99));
    std::printf("| SQLite load + index (same edges, both directions) | | %.1f s | |\n",
                sqlite_load_seconds);
  }
  std::printf("| PageRank, whole graph (igraph PRPACK), wall / CPU | %.1f s / %.1f s%s | | |\n",
              pagerank_seconds, pagerank_cpu, pagerank.ok() ? "" : " (failed)");
  std::printf(
      "| Leiden communities, whole graph, wall / CPU | %.1f s / %.1f s (%u communities, modularity "
      "%.3f) | | |\n",
      leiden_seconds, leiden_cpu, communities.ok() ? communities->count : 0,
      communities.ok() ? communities->modularity : 0.0);
  std::printf("| connected components | %.2f s (%zu) | | |\n", components_seconds,
              components.sizes.size());
  std::printf(
      "| risk ranking, %d hits: 1 thread wall / CPU, 2 threads wall | %.2f s / %.2f s, %.2f s | | "
      "|\n",
      args.risk_rows, risk_seconds_1, risk_cpu_1, risk_seconds_2);
  std::printf("| load average at end | %s | | |\n", LoadAverage().c_str());
  return 0;
}
