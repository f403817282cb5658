// Traversals of an EntityGraph: k-hop neighbourhoods, all shortest paths between two entities,
// connected components. All take a GraphFilter that restricts which relationships and entities
// may be walked.
//
// These run on the whole (trusted) graph unless the filter names a viewer (`visible_to`): a path
// through a record a viewer may not see still exists, and is redacted when results are rendered
// (graph_views.h). Derived views (networks, central figures) name the viewer, so that what they
// count and rank is only what the viewer may read.
//
// Thread-safety: all functions only read the graph; run as many at once as you like while no
// one writes to it. Per-thread scratch space is reused between calls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "graph/entity_graph.h"

namespace entente::graph {

// Which relationships and entities a traversal may use. Empty lists do not filter.
struct GraphFilter {
  std::vector<RelationshipType> relationship_types;
  std::vector<ThreatCategory> categories;  // entity categories that may be entered
  std::vector<EntityType> entity_types;    // entity types that may be entered
  std::string from;  // YYYY[-MM[-DD]]: only relationships active on or after this date
  std::string to;    // only relationships active on or before this date
  // Do not walk through entities with more live relationships than this (a city, a big
  // airport, a call-centre phone): they are reached but not expanded. 0: no limit.
  uint32_t max_degree = 0;
  // Only entities and relationships this viewer may read are entered. Unset: the whole graph.
  std::optional<Viewer> visible_to;
};

// A GraphFilter checked and turned into bit masks. InvalidArgument on a bad date.
class CompiledFilter {
 public:
  static Result<CompiledFilter> Compile(const GraphFilter& filter, const EntityGraph& graph);
  CompiledFilter() = default;
  bool EdgeAllowed(const EdgeInfo& edge) const {
    if (!Visible(edge.marking, edge.owner)) return false;
    if (!(relationship_mask_ >> static_cast<int>(edge.type) & 1)) return false;
    if (to_day_ != INT32_MIN && edge.start_day != INT32_MIN && edge.start_day > to_day_)
      return false;
    if (from_day_ != INT32_MIN && edge.stop_day != INT32_MIN && edge.stop_day < from_day_)
      return false;
    return true;
  }
  bool NodeAllowed(const NodeInfo& node) const {
    return (category_mask_ >> static_cast<int>(node.category) & 1) &&
           (type_mask_ >> static_cast<int>(node.type) & 1) && Visible(node.marking, node.owner);
  }
  uint32_t max_degree() const { return max_degree_; }

 private:
  uint32_t relationship_mask_ = 0xFFFFFFFFu;
  uint32_t category_mask_ = 0xFFFFFFFFu;
  uint32_t type_mask_ = 0xFFFFFFFFu;
  int32_t from_day_ = INT32_MIN;
  int32_t to_day_ = INT32_MIN;
  uint32_t max_degree_ = 0;
  // visible_to: visible_[marking * service_count_ + owner]; empty: everything is visible.
  bool Visible(uint16_t marking, uint16_t owner) const {
    return visible_.empty() || visible_[size_t{marking} * service_count_ + owner] != 0;
  }
  std::vector<uint8_t> visible_;
  size_t service_count_ = 0;
};

// Calls fn(neighbour, edge) for the edges of `node` the filter allows, to neighbours it allows.
template <typename Fn>
void ForEachAllowedNeighbour(const EntityGraph& graph, const CompiledFilter& filter, NodeIndex node,
                             Fn&& fn) {
  graph.ForEachNeighbour(node, [&](NodeIndex other, EdgeIndex edge) {
    if (filter.EdgeAllowed(graph.edge(edge)) && filter.NodeAllowed(graph.node(other))) {
      fn(other, edge);
    }
  });
}

// Whether the filter's hub limit lets a traversal expand `node`.
bool MayExpand(const EntityGraph& graph, const CompiledFilter& filter, NodeIndex node);

// The entities within `hops` of a seed and the relationships among them.
struct Subgraph {
  std::vector<NodeIndex> nodes;  // seed first, then by hop distance
  std::vector<int> hops;         // parallel to nodes
  std::vector<EdgeIndex> edges;  // every allowed relationship between two listed nodes
  bool truncated = false;        // stopped at max_nodes
};

// NotFound when `seed_id` is not a present entity; InvalidArgument for hops outside [0, 6].
Result<Subgraph> Neighbourhood(const EntityGraph& graph, const std::string& seed_id, int hops,
                               const GraphFilter& filter, size_t max_nodes = 2000);
Subgraph Neighbourhood(const EntityGraph& graph, NodeIndex seed, int hops,
                       const CompiledFilter& filter, size_t max_nodes);

// All shortest paths between two entities. length -1 when there is none within max_hops.
struct PathSet {
  NodeIndex from = kNoIndex;
  NodeIndex to = kNoIndex;
  int length = -1;                            // hops
  std::vector<std::vector<NodeIndex>> paths;  // each from `from` to `to`; at most max_paths
  uint64_t total_paths = 0;                   // how many shortest paths exist (saturates)
  bool truncated = false;                     // total_paths > paths.size()
};

// Bidirectional breadth-first search. NotFound when an end is not a present entity.
Result<PathSet> ShortestPaths(const EntityGraph& graph, const std::string& from_id,
                              const std::string& to_id, const GraphFilter& filter, int max_hops = 8,
                              size_t max_paths = 20);
PathSet ShortestPaths(const EntityGraph& graph, NodeIndex from, NodeIndex to,
                      const CompiledFilter& filter, int max_hops, size_t max_paths);

// The relationships between two adjacent entities on a path that the filter allows.
std::vector<EdgeIndex> EdgesBetween(const EntityGraph& graph, NodeIndex a, NodeIndex b,
                                    const CompiledFilter& filter);

// Connected components over present entities and allowed relationships.
struct Components {
  std::vector<uint32_t> component_of;  // per node slot; kNoIndex for absent / filtered nodes
  std::vector<uint32_t> sizes;         // per component; components are numbered by
                                       // decreasing size (0 is the largest)
};
Components ConnectedComponents(const EntityGraph& graph, const CompiledFilter& filter);

}  // namespace entente::graph
