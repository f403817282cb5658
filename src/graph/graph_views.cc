#include "graph/graph_views.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

namespace entente::graph {
namespace {

using nlohmann::json;

std::string DayText(int32_t day) {
  if (day == INT32_MIN) return "";
  // Civil from days (inverse of DaysFromCivil).
  int64_t z = day + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buffer;
}

// Gives each node/edge of one result its public key and content, hiding what the viewer
// may not read.
class Redactor {
 public:
  Redactor(const EntityGraph& graph, const Viewer& viewer) : graph_(graph), viewer_(viewer) {}

  std::string NodeKey(NodeIndex node) {
    auto it = node_keys_.find(node);
    if (it != node_keys_.end()) return it->second;
    std::string key = graph_.CanSeeNode(node, viewer_)
                          ? graph_.NodeId(node)
                          : "restricted-" + std::to_string(++restricted_nodes_);
    node_keys_.emplace(node, key);
    return key;
  }
  std::string EdgeKey(EdgeIndex edge) {
    auto it = edge_keys_.find(edge);
    if (it != edge_keys_.end()) return it->second;
    std::string key = graph_.CanSeeEdge(edge, viewer_)
                          ? graph_.EdgeId(edge)
                          : "restricted-rel-" + std::to_string(++restricted_edges_);
    edge_keys_.emplace(edge, key);
    return key;
  }
  bool Visible(NodeIndex node) const { return graph_.CanSeeNode(node, viewer_); }

  json Node(NodeIndex node) {
    json out;
    out["id"] = NodeKey(node);
    if (!graph_.CanSeeNode(node, viewer_)) {
      out["restricted"] = true;
      return out;
    }
    const NodeInfo& info = graph_.node(node);
    out["label"] = std::string(graph_.NodeLabel(node));
    out["type"] = std::string(EntityTypeName(info.type));
    out["category"] = std::string(ThreatCategoryName(info.category));
    out["service"] = graph_.service(info.owner);
    out["tlp"] = std::string(TlpName(graph_.marking(info.marking).tlp));
    out["reliability"] = std::string(1, info.reliability);
    out["credibility"] = info.credibility;
    return out;
  }
  json Edge(EdgeIndex edge) {
    const EdgeInfo& info = graph_.edge(edge);
    json out;
    out["id"] = EdgeKey(edge);
    out["source"] = NodeKey(info.source);
    out["target"] = NodeKey(info.target);
    if (!graph_.CanSeeEdge(edge, viewer_)) {
      out["restricted"] = true;
      return out;
    }
    out["type"] = std::string(RelationshipTypeName(info.type));
    out["category"] = std::string(ThreatCategoryName(info.category));
    if (info.start_day != INT32_MIN) out["start"] = DayText(info.start_day);
    if (info.stop_day != INT32_MIN) out["stop"] = DayText(info.stop_day);
    return out;
  }
  // A one-line description for tables.
  std::string NodeText(NodeIndex node) {
    if (!graph_.CanSeeNode(node, viewer_)) return "[restricted record]";
    const NodeInfo& info = graph_.node(node);
    return std::string(graph_.NodeLabel(node)) + " (" + std::string(EntityTypeName(info.type)) +
           ", " + std::string(ThreatCategoryName(info.category)) + ") " + graph_.NodeId(node);
  }
  std::string EdgeText(EdgeIndex edge) {
    if (!graph_.CanSeeEdge(edge, viewer_)) return "[restricted relationship]";
    return std::string(RelationshipTypeName(graph_.edge(edge).type));
  }

 private:
  const EntityGraph& graph_;
  const Viewer& viewer_;
  std::unordered_map<NodeIndex, std::string> node_keys_;
  std::unordered_map<EdgeIndex, std::string> edge_keys_;
  int restricted_nodes_ = 0;
  int restricted_edges_ = 0;
};

// NotFound both for a missing entity and for one the viewer may not read.
Status CheckEnd(const EntityGraph& graph, const std::string& id, const Viewer& viewer) {
  auto node = graph.FindNode(id);
  if (!node || !graph.CanSeeNode(*node, viewer)) return NotFound("no entity " + id);
  return Status::Ok();
}

std::string Pad(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string Score(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.4f", value);
  return buffer;
}

std::vector<NodeIndex> MembersOfCategoryNetworks(const EntityGraph& graph,
                                                 const CompiledFilter& filter,
                                                 ThreatCategory category) {
  Components components = ConnectedComponents(graph, filter);
  std::vector<uint8_t> wanted(components.sizes.size(), 0);
  for (NodeIndex node = 0; node < graph.node_count(); ++node) {
    uint32_t component = components.component_of[node];
    if (component != kNoIndex && graph.node(node).category == category) wanted[component] = 1;
  }
  std::vector<NodeIndex> members;
  for (NodeIndex node = 0; node < graph.node_count(); ++node) {
    uint32_t component = components.component_of[node];
    if (component != kNoIndex && wanted[component] && components.sizes[component] >= 2) {
      members.push_back(node);
    }
  }
  return members;
}

}  // namespace

Result<std::string> RenderNeighbourhood(const EntityGraph& graph,
                                        const NeighbourhoodRequest& request, const Viewer& viewer,
                                        OutputFormat format) {
  ENTENTE_RETURN_IF_ERROR(CheckEnd(graph, request.id, viewer));
  ENTENTE_ASSIGN_OR_RETURN(Subgraph sub, Neighbourhood(graph, request.id, request.hops,
                                                       request.filter, request.max_nodes));
  Redactor redactor(graph, viewer);
  if (format == OutputFormat::kJson) {
    json out;
    out["kind"] = "neighbourhood";
    out["seed"] = request.id;
    out["hops"] = request.hops;
    out["truncated"] = sub.truncated;
    out["nodes"] = json::array();
    for (size_t idx = 0; idx < sub.nodes.size(); ++idx) {
      json node = redactor.Node(sub.nodes[idx]);
      node["hop"] = sub.hops[idx];
      out["nodes"].push_back(std::move(node));
    }
    out["edges"] = json::array();
    for (EdgeIndex edge : sub.edges) out["edges"].push_back(redactor.Edge(edge));
    return out.dump(2) + "\n";
  }
  std::ostringstream text;
  text << "Neighbourhood of " << redactor.NodeText(sub.nodes[0]) << " within " << request.hops
       << " hop(s): " << sub.nodes.size() << " entities, " << sub.edges.size() << " relationships"
       << (sub.truncated ? " (truncated)" : "") << "\n\n";
  text << Pad("HOP", 5) << Pad("ENTITY", 0) << "\n";
  for (size_t idx = 0; idx < sub.nodes.size(); ++idx) {
    text << Pad(std::to_string(sub.hops[idx]), 5) << redactor.NodeText(sub.nodes[idx]) << "\n";
  }
  text << "\nRELATIONSHIPS\n";
  for (EdgeIndex edge : sub.edges) {
    const EdgeInfo& info = graph.edge(edge);
    text << "  " << redactor.NodeKey(info.source) << " -[" << redactor.EdgeText(edge) << "]-> "
         << redactor.NodeKey(info.target) << "\n";
  }
  return text.str();
}

Result<std::string> RenderPaths(const EntityGraph& graph, const PathRequest& request,
                                const Viewer& viewer, OutputFormat format) {
  ENTENTE_RETURN_IF_ERROR(CheckEnd(graph, request.from, viewer));
  ENTENTE_RETURN_IF_ERROR(CheckEnd(graph, request.to, viewer));
  ENTENTE_ASSIGN_OR_RETURN(CompiledFilter filter, CompiledFilter::Compile(request.filter, graph));
  ENTENTE_ASSIGN_OR_RETURN(PathSet paths,
                           ShortestPaths(graph, request.from, request.to, request.filter,
                                         request.max_hops, request.max_paths));
  Redactor redactor(graph, viewer);
  // Relationships per step, gathered once.
  std::vector<std::vector<std::vector<EdgeIndex>>> steps(paths.paths.size());
  for (size_t path_idx = 0; path_idx < paths.paths.size(); ++path_idx) {
    const auto& path = paths.paths[path_idx];
    for (size_t pos = 0; pos + 1 < path.size(); ++pos) {
      steps[path_idx].push_back(EdgesBetween(graph, path[pos], path[pos + 1], filter));
    }
  }
  if (format == OutputFormat::kJson) {
    json out;
    out["kind"] = "paths";
    out["from"] = request.from;
    out["to"] = request.to;
    out["length"] = paths.length;
    out["total_paths"] = paths.total_paths;
    out["truncated"] = paths.truncated;
    out["nodes"] = json::array();
    out["edges"] = json::array();
    out["paths"] = json::array();
    std::unordered_map<NodeIndex, bool> seen_nodes;
    std::unordered_map<EdgeIndex, bool> seen_edges;
    for (size_t path_idx = 0; path_idx < paths.paths.size(); ++path_idx) {
      json path_json;
      path_json["nodes"] = json::array();
      path_json["relationships"] = json::array();
      for (NodeIndex node : paths.paths[path_idx]) {
        path_json["nodes"].push_back(redactor.NodeKey(node));
        if (seen_nodes.emplace(node, true).second) out["nodes"].push_back(redactor.Node(node));
      }
      for (const auto& step : steps[path_idx]) {
        json keys = json::array();
        for (EdgeIndex edge : step) {
          keys.push_back(redactor.EdgeKey(edge));
          if (seen_edges.emplace(edge, true).second) out["edges"].push_back(redactor.Edge(edge));
        }
        path_json["relationships"].push_back(std::move(keys));
      }
      out["paths"].push_back(std::move(path_json));
    }
    return out.dump(2) + "\n";
  }
  std::ostringstream text;
  if (paths.length < 0) {
    text << "No path within " << request.max_hops << " hops between " << request.from << " and "
         << request.to << "\n";
    return text.str();
  }
  text << paths.total_paths << " shortest path(s) of " << paths.length << " hop(s)";
  if (paths.truncated) text << ", first " << paths.paths.size() << " shown";
  text << "\n";
  for (size_t path_idx = 0; path_idx < paths.paths.size(); ++path_idx) {
    const auto& path = paths.paths[path_idx];
    text << "\nPath " << path_idx + 1 << ":\n  " << redactor.NodeText(path[0]) << "\n";
    for (size_t pos = 0; pos + 1 < path.size(); ++pos) {
      std::string via;
      for (EdgeIndex edge : steps[path_idx][pos]) {
        if (!via.empty()) via += ", ";
        via += redactor.EdgeText(edge);
      }
      text << "    --[" << via << "]--\n  " << redactor.NodeText(path[pos + 1]) << "\n";
    }
  }
  return text.str();
}

Result<std::string> RenderNetworks(const EntityGraph& graph, const NetworkOptions& asked,
                                   const Viewer& viewer, OutputFormat format) {
  NetworkOptions options = asked;
  options.filter.visible_to = viewer;  // sizes, categories and ranks of what the viewer may read
  ENTENTE_ASSIGN_OR_RETURN(std::vector<Network> networks, FindNetworks(graph, options));
  Redactor redactor(graph, viewer);
  if (format == OutputFormat::kJson) {
    json out;
    out["kind"] = "networks";
    if (options.category) out["category"] = std::string(ThreatCategoryName(*options.category));
    out["nodes"] = json::array();
    out["edges"] = json::array();
    out["networks"] = json::array();
    ENTENTE_ASSIGN_OR_RETURN(CompiledFilter filter, CompiledFilter::Compile(options.filter, graph));
    for (const Network& network : networks) {
      json entry;
      entry["component"] = network.component;
      entry["size"] = network.members.size();
      entry["relationships"] = network.relationships;
      entry["categories"] = json::object();
      for (const auto& [category, count] : network.categories) {
        entry["categories"][std::string(ThreatCategoryName(category))] = count;
      }
      entry["communities"] = json::array();
      std::unordered_map<NodeIndex, size_t> community_of;
      for (size_t community_idx = 0; community_idx < network.communities.size(); ++community_idx) {
        json members = json::array();
        for (NodeIndex node : network.communities[community_idx]) {
          members.push_back(redactor.NodeKey(node));
          community_of[node] = community_idx;
        }
        entry["communities"].push_back(std::move(members));
      }
      entry["central"] = json::array();
      for (const ScoredNode& scored : network.central) {
        entry["central"].push_back(
            {{"id", redactor.NodeKey(scored.node)}, {"score", scored.score}});
      }
      out["networks"].push_back(std::move(entry));
      // Drawable members (networks beyond the detail limit are listed but not drawn).
      if (network.members.size() > options.max_detailed_size) continue;
      std::unordered_map<NodeIndex, bool> in_network;
      for (NodeIndex node : network.members) in_network[node] = true;
      for (NodeIndex node : network.members) {
        json node_json = redactor.Node(node);
        node_json["network"] = network.component;
        auto it = community_of.find(node);
        if (it != community_of.end()) node_json["community"] = it->second;
        out["nodes"].push_back(std::move(node_json));
        ForEachAllowedNeighbour(graph, filter, node, [&](NodeIndex other, EdgeIndex edge) {
          if (other >= node && in_network.count(other)) out["edges"].push_back(redactor.Edge(edge));
        });
      }
    }
    return out.dump(2) + "\n";
  }
  std::ostringstream text;
  text << networks.size() << " network(s)";
  if (options.category) text << " holding " << ThreatCategoryName(*options.category) << " records";
  text << "\n";
  for (size_t idx = 0; idx < networks.size(); ++idx) {
    const Network& network = networks[idx];
    text << "\nNetwork " << idx + 1 << ": " << network.members.size() << " entities, "
         << network.relationships << " relationships, " << network.communities.size()
         << " communities; categories:";
    for (const auto& [category, count] : network.categories) {
      text << " " << ThreatCategoryName(category) << "=" << count;
    }
    text << "\n  central figures:\n";
    for (const ScoredNode& scored : network.central) {
      text << "    " << Pad(Score(scored.score), 10) << redactor.NodeText(scored.node) << "\n";
    }
  }
  return text.str();
}

Result<std::string> RenderCentral(const EntityGraph& graph, const CentralRequest& request,
                                  const Viewer& viewer, OutputFormat format) {
  GraphFilter scoped = request.filter;
  scoped.visible_to = viewer;  // a rank among what the viewer may read
  ENTENTE_ASSIGN_OR_RETURN(CompiledFilter filter, CompiledFilter::Compile(scoped, graph));
  std::vector<NodeIndex> nodes;
  if (request.category) {
    nodes = MembersOfCategoryNetworks(graph, filter, *request.category);
    if (nodes.empty()) nodes.push_back(kNoIndex);  // marker: nothing to rank
  }
  std::vector<ScoredNode> ranking;
  if (nodes.empty() || nodes[0] != kNoIndex) {
    CentralityOptions options;
    options.measure = request.measure;
    std::vector<EntityType> figures;
    if (request.figures_only) figures = {EntityType::kPerson, EntityType::kOrganization};
    ENTENTE_ASSIGN_OR_RETURN(ranking,
                             TopCentral(graph, nodes, filter, options, request.top, figures));
  }
  Redactor redactor(graph, viewer);
  if (format == OutputFormat::kJson) {
    json out;
    out["kind"] = "central";
    out["measure"] = std::string(CentralityMeasureName(request.measure));
    if (request.category) out["category"] = std::string(ThreatCategoryName(*request.category));
    out["nodes"] = json::array();
    out["edges"] = json::array();
    out["ranking"] = json::array();
    for (const ScoredNode& scored : ranking) {
      json node = redactor.Node(scored.node);
      node["score"] = scored.score;
      out["nodes"].push_back(node);
      out["ranking"].push_back({{"id", redactor.NodeKey(scored.node)}, {"score", scored.score}});
    }
    return out.dump(2) + "\n";
  }
  std::ostringstream text;
  text << Pad("RANK", 6) << Pad(std::string(CentralityMeasureName(request.measure)), 12)
       << "ENTITY\n";
  for (size_t idx = 0; idx < ranking.size(); ++idx) {
    text << Pad(std::to_string(idx + 1), 6) << Pad(Score(ranking[idx].score), 12)
         << redactor.NodeText(ranking[idx].node) << "\n";
  }
  return text.str();
}

Result<std::vector<ScoredNode>> CentralFigures(const EntityGraph& graph,
                                               std::optional<ThreatCategory> category, size_t top) {
  CompiledFilter filter;
  std::vector<NodeIndex> nodes;
  if (category) {
    nodes = MembersOfCategoryNetworks(graph, filter, *category);
    if (nodes.empty()) return std::vector<ScoredNode>{};
  }
  size_t size = nodes.empty() ? graph.node_count() : nodes.size();
  CentralityOptions options;
  options.measure = size <= 20000 ? CentralityMeasure::kBetweenness : CentralityMeasure::kPageRank;
  return TopCentral(graph, nodes, filter, options, top,
                    {EntityType::kPerson, EntityType::kOrganization});
}

}  // namespace entente::graph
