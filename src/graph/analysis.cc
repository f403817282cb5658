#include "graph/analysis.h"

#include <igraph/igraph.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <string>

namespace entente::graph {
namespace {

std::mutex& IgraphMutex() {
  static std::mutex mutex;
  return mutex;
}

void InitIgraphOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Return error codes instead of aborting the process.
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
  });
}

Status IgraphError(igraph_error_t code, const char* what) {
  return Internal(std::string("igraph ") + what + " failed: " + igraph_strerror(code));
}

// A simple undirected igraph over `nodes` (local vertex i = nodes[i]). Owns the igraph_t.
class LocalGraph {
 public:
  LocalGraph() = default;
  ~LocalGraph() {
    if (built_) igraph_destroy(&graph_);
  }
  LocalGraph(const LocalGraph&) = delete;
  LocalGraph& operator=(const LocalGraph&) = delete;

  Status Build(const EntityGraph& graph, std::vector<NodeIndex>* nodes,
               const CompiledFilter& filter) {
    if (nodes->empty()) {
      for (NodeIndex node = 0; node < graph.node_count(); ++node) {
        if (graph.node(node).present && filter.NodeAllowed(graph.node(node))) {
          nodes->push_back(node);
        }
      }
    }
    std::vector<uint32_t> local(graph.node_count(), kNoIndex);
    for (uint32_t local_idx = 0; local_idx < nodes->size(); ++local_idx) {
      local[(*nodes)[local_idx]] = local_idx;
    }
    std::vector<std::pair<uint32_t, uint32_t>> pairs;
    for (uint32_t local_idx = 0; local_idx < nodes->size(); ++local_idx) {
      const NodeIndex node = (*nodes)[local_idx];
      if (!MayExpand(graph, filter, node)) continue;  // hubs stay isolated
      graph.ForEachNeighbour(node, [&](NodeIndex other, EdgeIndex edge) {
        const uint32_t other_local = local[other];
        if (other_local == kNoIndex || other_local <= local_idx) return;
        if (!filter.EdgeAllowed(graph.edge(edge))) return;
        if (!MayExpand(graph, filter, other)) return;
        pairs.emplace_back(local_idx, other_local);
      });
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    degree_.assign(nodes->size(), 0.0);
    igraph_vector_int_t edges;
    if (igraph_vector_int_init(&edges, static_cast<igraph_integer_t>(pairs.size() * 2)) !=
        IGRAPH_SUCCESS) {
      return ResourceExhausted("igraph: cannot allocate the edge list");
    }
    for (size_t pair_idx = 0; pair_idx < pairs.size(); ++pair_idx) {
      VECTOR(edges)[2 * pair_idx] = pairs[pair_idx].first;
      VECTOR(edges)[2 * pair_idx + 1] = pairs[pair_idx].second;
      degree_[pairs[pair_idx].first] += 1;
      degree_[pairs[pair_idx].second] += 1;
    }
    edge_count_ = pairs.size();
    igraph_error_t code = igraph_create(
        &graph_, &edges, static_cast<igraph_integer_t>(nodes->size()), IGRAPH_UNDIRECTED);
    igraph_vector_int_destroy(&edges);
    if (code != IGRAPH_SUCCESS) return IgraphError(code, "create");
    built_ = true;
    return Status::Ok();
  }

  igraph_t* get() { return &graph_; }
  const std::vector<double>& degree() const { return degree_; }
  size_t edge_count() const { return edge_count_; }

 private:
  igraph_t graph_;
  bool built_ = false;
  std::vector<double> degree_;
  size_t edge_count_ = 0;
};

std::vector<double> ToStd(const igraph_vector_t& vec) {
  std::vector<double> out(igraph_vector_size(&vec));
  for (size_t idx = 0; idx < out.size(); ++idx) out[idx] = VECTOR(vec)[idx];
  return out;
}

}  // namespace

std::string_view CentralityMeasureName(CentralityMeasure measure) {
  switch (measure) {
    case CentralityMeasure::kPageRank:
      return "pagerank";
    case CentralityMeasure::kBetweenness:
      return "betweenness";
    case CentralityMeasure::kDegree:
      return "degree";
  }
  return "pagerank";
}

std::optional<CentralityMeasure> ParseCentralityMeasure(std::string_view text) {
  if (text == "pagerank") return CentralityMeasure::kPageRank;
  if (text == "betweenness") return CentralityMeasure::kBetweenness;
  if (text == "degree") return CentralityMeasure::kDegree;
  return std::nullopt;
}

Result<std::vector<double>> Centrality(const EntityGraph& graph, std::vector<NodeIndex> nodes,
                                       const CompiledFilter& filter,
                                       const CentralityOptions& options,
                                       std::vector<NodeIndex>* used) {
  InitIgraphOnce();
  std::lock_guard<std::mutex> lock(IgraphMutex());
  LocalGraph local;
  ENTENTE_RETURN_IF_ERROR(local.Build(graph, &nodes, filter));
  if (used) *used = nodes;
  const igraph_integer_t n = static_cast<igraph_integer_t>(nodes.size());
  if (n == 0) return std::vector<double>{};
  switch (options.measure) {
    case CentralityMeasure::kDegree:
      return local.degree();
    case CentralityMeasure::kPageRank: {
      igraph_vector_t scores;
      igraph_vector_init(&scores, 0);
      igraph_real_t value = 0;
      igraph_error_t code =
          igraph_pagerank(local.get(), IGRAPH_PAGERANK_ALGO_PRPACK, &scores, &value,
                          igraph_vss_all(), IGRAPH_UNDIRECTED, 0.85, nullptr, nullptr);
      std::vector<double> out = ToStd(scores);
      igraph_vector_destroy(&scores);
      if (code != IGRAPH_SUCCESS) return IgraphError(code, "pagerank");
      return out;
    }
    case CentralityMeasure::kBetweenness: {
      if (nodes.size() > options.max_betweenness_nodes) {
        return ResourceExhausted("betweenness: " + std::to_string(nodes.size()) +
                                 " entities is more than the limit of " +
                                 std::to_string(options.max_betweenness_nodes) +
                                 "; use pagerank or narrow the network");
      }
      igraph_vector_t scores;
      igraph_vector_init(&scores, 0);
      igraph_error_t code =
          igraph_betweenness(local.get(), &scores, igraph_vss_all(), IGRAPH_UNDIRECTED, nullptr);
      std::vector<double> out = ToStd(scores);
      igraph_vector_destroy(&scores);
      if (code != IGRAPH_SUCCESS) return IgraphError(code, "betweenness");
      const double pairs = n > 2 ? (n - 1.0) * (n - 2.0) / 2.0 : 1.0;
      for (double& score : out) score /= pairs;
      return out;
    }
  }
  return Internal("unknown centrality measure");
}

Result<std::vector<ScoredNode>> TopCentral(const EntityGraph& graph,
                                           const std::vector<NodeIndex>& nodes,
                                           const CompiledFilter& filter,
                                           const CentralityOptions& options, size_t top,
                                           const std::vector<EntityType>& figure_types) {
  std::vector<NodeIndex> used;
  ENTENTE_ASSIGN_OR_RETURN(std::vector<double> scores,
                           Centrality(graph, nodes, filter, options, &used));
  std::vector<ScoredNode> ranked;
  ranked.reserve(used.size());
  for (size_t idx = 0; idx < used.size(); ++idx) {
    if (!figure_types.empty() && std::find(figure_types.begin(), figure_types.end(),
                                           graph.node(used[idx]).type) == figure_types.end()) {
      continue;
    }
    ranked.push_back({used[idx], scores[idx]});
  }
  const size_t keep = std::min(top, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + keep, ranked.end(),
                    [&](const ScoredNode& a, const ScoredNode& b) {
                      if (a.score != b.score) return a.score > b.score;
                      return a.node < b.node;
                    });
  ranked.resize(keep);
  return ranked;
}

Result<Communities> DetectCommunities(const EntityGraph& graph, std::vector<NodeIndex> nodes,
                                      const CompiledFilter& filter, double resolution) {
  if (!(resolution > 0)) return InvalidArgument("resolution: must be positive");
  InitIgraphOnce();
  std::lock_guard<std::mutex> lock(IgraphMutex());
  LocalGraph local;
  ENTENTE_RETURN_IF_ERROR(local.Build(graph, &nodes, filter));
  Communities result;
  result.nodes = nodes;
  if (nodes.empty()) return result;
  if (local.edge_count() == 0) {
    result.membership.resize(nodes.size());
    for (uint32_t idx = 0; idx < nodes.size(); ++idx) result.membership[idx] = idx;
    result.count = static_cast<uint32_t>(nodes.size());
    return result;
  }
  igraph_rng_seed(igraph_rng_default(), 20240726);
  igraph_vector_t node_weights;
  igraph_vector_init(&node_weights, static_cast<igraph_integer_t>(nodes.size()));
  for (size_t idx = 0; idx < nodes.size(); ++idx) VECTOR(node_weights)[idx] = local.degree()[idx];
  igraph_vector_int_t membership;
  igraph_vector_int_init(&membership, 0);
  igraph_integer_t clusters = 0;
  igraph_real_t quality = 0;
  // With node weights = degrees and resolution / 2m, Leiden's quality is modularity.
  igraph_error_t code = igraph_community_leiden(
      local.get(), nullptr, &node_weights, resolution / (2.0 * local.edge_count()), 0.01,
      /*start=*/false, /*n_iterations=*/-1, &membership, &clusters, &quality);
  igraph_vector_destroy(&node_weights);
  if (code != IGRAPH_SUCCESS) {
    igraph_vector_int_destroy(&membership);
    return IgraphError(code, "leiden");
  }
  igraph_real_t modularity = 0;
  igraph_modularity(local.get(), &membership, nullptr, resolution, IGRAPH_UNDIRECTED, &modularity);
  result.modularity = modularity;
  // Renumber by decreasing size, ties by first member.
  std::vector<uint32_t> raw(nodes.size());
  for (size_t idx = 0; idx < nodes.size(); ++idx)
    raw[idx] = static_cast<uint32_t>(VECTOR(membership)[idx]);
  igraph_vector_int_destroy(&membership);
  std::vector<std::pair<int64_t, uint32_t>> order;  // (-size, first index) per raw community
  std::map<uint32_t, std::pair<int64_t, uint32_t>> info;
  for (uint32_t idx = 0; idx < raw.size(); ++idx) {
    auto [it, inserted] = info.try_emplace(raw[idx], std::make_pair(0, idx));
    it->second.first -= 1;
  }
  std::vector<std::pair<std::pair<int64_t, uint32_t>, uint32_t>> sorted;
  for (const auto& [community, key] : info) sorted.push_back({key, community});
  std::sort(sorted.begin(), sorted.end());
  std::map<uint32_t, uint32_t> renumber;
  for (uint32_t rank = 0; rank < sorted.size(); ++rank) renumber[sorted[rank].second] = rank;
  result.membership.resize(raw.size());
  for (size_t idx = 0; idx < raw.size(); ++idx) result.membership[idx] = renumber[raw[idx]];
  result.count = static_cast<uint32_t>(sorted.size());
  return result;
}

Result<std::vector<Network>> FindNetworks(const EntityGraph& graph, const NetworkOptions& options) {
  ENTENTE_ASSIGN_OR_RETURN(CompiledFilter filter, CompiledFilter::Compile(options.filter, graph));
  Components components = ConnectedComponents(graph, filter);
  const size_t count = components.sizes.size();
  std::vector<uint8_t> wanted(count, options.category.has_value() ? 0 : 1);
  if (options.category) {
    for (NodeIndex node = 0; node < graph.node_count(); ++node) {
      const uint32_t component = components.component_of[node];
      if (component != kNoIndex && graph.node(node).category == *options.category) {
        wanted[component] = 1;
      }
    }
  }
  std::vector<uint32_t> chosen;
  for (uint32_t component = 0; component < count && chosen.size() < options.max_networks;
       ++component) {
    if (wanted[component] && components.sizes[component] >= options.min_size) {
      chosen.push_back(component);
    }
  }
  std::vector<int32_t> slot(count, -1);
  std::vector<Network> networks(chosen.size());
  for (size_t idx = 0; idx < chosen.size(); ++idx) {
    slot[chosen[idx]] = static_cast<int32_t>(idx);
    networks[idx].component = chosen[idx];
  }
  for (NodeIndex node = 0; node < graph.node_count(); ++node) {
    const uint32_t component = components.component_of[node];
    if (component != kNoIndex && slot[component] >= 0) {
      networks[slot[component]].members.push_back(node);
    }
  }
  const std::vector<EntityType> figures = {EntityType::kPerson, EntityType::kOrganization};
  for (Network& network : networks) {
    std::map<ThreatCategory, int64_t> by_category;
    int64_t half_edges = 0;
    for (NodeIndex node : network.members) {
      ++by_category[graph.node(node).category];
      ForEachAllowedNeighbour(graph, filter, node, [&](NodeIndex other, EdgeIndex) {
        if (components.component_of[other] == network.component) ++half_edges;
      });
    }
    network.relationships = half_edges / 2;
    for (const auto& entry : by_category) network.categories.push_back(entry);
    std::sort(network.categories.begin(), network.categories.end(),
              [](const auto& a, const auto& b) { return a.second > b.second; });
    const bool detailed = network.members.size() <= options.max_detailed_size;
    CentralityOptions centrality;
    centrality.measure = detailed ? CentralityMeasure::kBetweenness : CentralityMeasure::kPageRank;
    ENTENTE_ASSIGN_OR_RETURN(network.central, TopCentral(graph, network.members, filter, centrality,
                                                         options.top_central, figures));
    if (detailed) {
      ENTENTE_ASSIGN_OR_RETURN(Communities communities,
                               DetectCommunities(graph, network.members, filter));
      network.communities.resize(communities.count);
      for (size_t idx = 0; idx < communities.nodes.size(); ++idx) {
        network.communities[communities.membership[idx]].push_back(communities.nodes[idx]);
      }
    }
  }
  return networks;
}

}  // namespace entente::graph
