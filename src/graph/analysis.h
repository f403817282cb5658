// Whole-network analysis on an EntityGraph with igraph: communities (Leiden, modularity) and
// centrality (PageRank, betweenness, degree), and "networks": the connected components that
// hold entities of a threat category, each with its communities and central figures.
//
// The analyses run on a simple undirected copy of (part of) the graph: parallel relationships
// between two entities count once, self-loops are dropped.
//
// Thread-safety: igraph keeps global state (error handler, random generator), so the functions
// here take one process-wide lock around their igraph calls; they only read the graph.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/status.h"
#include "graph/entity_graph.h"
#include "graph/traversal.h"

namespace entente::graph {

enum class CentralityMeasure { kPageRank, kBetweenness, kDegree };
std::string_view CentralityMeasureName(CentralityMeasure measure);  // "pagerank", ...
std::optional<CentralityMeasure> ParseCentralityMeasure(std::string_view text);

struct ScoredNode {
  NodeIndex node = kNoIndex;
  double score = 0.0;
};

// Centrality of `nodes` within the subgraph they induce (all present nodes when empty),
// parallel to the node list used (returned in `*used` when not null). Betweenness is
// normalized to [0, 1] (divided by (n-1)(n-2)/2); PageRank sums to 1 (damping 0.85); degree
// counts distinct neighbours. ResourceExhausted for exact betweenness on more than
// `max_betweenness_nodes` nodes (it is O(n*m)).
struct CentralityOptions {
  CentralityMeasure measure = CentralityMeasure::kPageRank;
  size_t max_betweenness_nodes = 200000;
};
Result<std::vector<double>> Centrality(const EntityGraph& graph, std::vector<NodeIndex> nodes,
                                       const CompiledFilter& filter,
                                       const CentralityOptions& options,
                                       std::vector<NodeIndex>* used = nullptr);

// The `top` highest-scoring nodes (ties broken by node id order), optionally only those of
// the given entity types (persons and organizations are the usual "figures").
Result<std::vector<ScoredNode>> TopCentral(const EntityGraph& graph,
                                           const std::vector<NodeIndex>& nodes,
                                           const CompiledFilter& filter,
                                           const CentralityOptions& options, size_t top,
                                           const std::vector<EntityType>& figure_types = {});

// Communities of the subgraph induced by `nodes` (all present nodes when empty): Leiden
// optimizing modularity, seeded so that results repeat. Community numbers start at 0, by
// decreasing size.
struct Communities {
  std::vector<NodeIndex> nodes;      // the nodes analysed
  std::vector<uint32_t> membership;  // parallel to nodes
  uint32_t count = 0;
  double modularity = 0.0;
};
Result<Communities> DetectCommunities(const EntityGraph& graph, std::vector<NodeIndex> nodes,
                                      const CompiledFilter& filter, double resolution = 1.0);

// A network: one connected component with at least `min_size` entities, containing at least
// one entity of the asked category (any category when none is asked).
struct Network {
  uint32_t component = 0;
  std::vector<NodeIndex> members;
  int64_t relationships = 0;
  std::vector<std::pair<ThreatCategory, int64_t>> categories;  // entity counts, largest first
  std::vector<std::vector<NodeIndex>> communities;             // largest first
  std::vector<ScoredNode> central;  // central figures (persons, organizations), best first
};

struct NetworkOptions {
  std::optional<ThreatCategory> category;
  size_t min_size = 3;
  size_t max_networks = 20;
  size_t top_central = 5;
  // Networks larger than this are listed without communities and with PageRank instead of
  // betweenness for their central figures.
  size_t max_detailed_size = 20000;
  GraphFilter filter;
};
Result<std::vector<Network>> FindNetworks(const EntityGraph& graph, const NetworkOptions& options);

}  // namespace entente::graph
