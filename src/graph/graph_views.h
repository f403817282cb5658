// Graph results as a viewer may see them: the JSON the web UI draws and a readable text
// table, for the CLI (`entente graph ...`) and the HTTP API alike.
//
// Markings: a node or relationship the viewer may not read keeps its place in the result (the
// path exists, the neighbour is there) but loses its content: it is shown as
// {"id":"restricted-N","restricted":true} with no label, type, category or record id. The same
// hidden record gets the same "restricted-N" key within one result, so a drawing stays
// connected; keys are not stable across results. A seed or path end the viewer may not read is
// reported NotFound, exactly like a missing one, so existence does not leak. Networks and central
// figures are derived over the whole graph they count and rank, so they are computed on what the
// viewer may read alone: a hidden network is not listed, a hidden member neither counted nor
// drawn.
//
// JSON shapes (every result has "kind", "nodes" and "edges"):
//   node: {"id","label","type","category","service","tlp","reliability","credibility"[,"hop"]
//          [,"score"][,"community"]}
//   edge: {"id","source","target","type","category","start","stop"}  (source/target: node ids)
//   neighbourhood: + "seed","hops","truncated"
//   paths: + "from","to","length" (-1: none),"total_paths","truncated",
//            "paths":[{"nodes":[ids],"relationships":[[edge ids between node i and i+1],...]}]
//   networks: + "networks":[{"component","size","relationships","categories":{..},
//              "communities":[[ids]],"central":[{"id","score"}]}]
//   central: + "measure","ranking":[{"id","score"}]
//
// Thread-safety: as for the graph's const methods.
#pragma once

#include <string>

#include "common/status.h"
#include "graph/analysis.h"
#include "graph/entity_graph.h"
#include "graph/traversal.h"

namespace entente::graph {

enum class OutputFormat { kTable, kJson };

struct NeighbourhoodRequest {
  std::string id;
  int hops = 1;
  size_t max_nodes = 2000;
  GraphFilter filter;
};
Result<std::string> RenderNeighbourhood(const EntityGraph& graph,
                                        const NeighbourhoodRequest& request, const Viewer& viewer,
                                        OutputFormat format);

struct PathRequest {
  std::string from;
  std::string to;
  int max_hops = 8;
  size_t max_paths = 20;
  GraphFilter filter;
};
Result<std::string> RenderPaths(const EntityGraph& graph, const PathRequest& request,
                                const Viewer& viewer, OutputFormat format);

Result<std::string> RenderNetworks(const EntityGraph& graph, const NetworkOptions& options,
                                   const Viewer& viewer, OutputFormat format);

struct CentralRequest {
  size_t top = 10;
  CentralityMeasure measure = CentralityMeasure::kPageRank;
  std::optional<ThreatCategory> category;  // only networks holding this category
  bool figures_only = true;                // persons and organizations
  GraphFilter filter;
};
Result<std::string> RenderCentral(const EntityGraph& graph, const CentralRequest& request,
                                  const Viewer& viewer, OutputFormat format);

// The central figures as a plain list (for the demo and the risk engine): the `top`
// persons/organizations by betweenness (PageRank above 20000 entities) within the networks
// holding `category` (all networks when not set).
Result<std::vector<ScoredNode>> CentralFigures(const EntityGraph& graph,
                                               std::optional<ThreatCategory> category, size_t top);

}  // namespace entente::graph
