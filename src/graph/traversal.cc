#include "graph/traversal.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "graph/dates.h"

namespace entente::graph {
namespace {

// Per-thread marks sized to the graph, reset in O(1) by bumping an epoch.
struct Marks {
  std::vector<uint32_t> stamp;
  std::vector<int32_t> value;
  uint32_t epoch = 0;

  void Prepare(size_t size) {
    if (stamp.size() < size) {
      stamp.resize(size, 0);
      value.resize(size, 0);
    }
    if (++epoch == 0) {  // wrapped: clear once every 4 billion calls
      std::fill(stamp.begin(), stamp.end(), 0);
      epoch = 1;
    }
  }
  bool Has(NodeIndex node) const { return stamp[node] == epoch; }
  int32_t Get(NodeIndex node) const { return value[node]; }
  void Set(NodeIndex node, int32_t v) {
    stamp[node] = epoch;
    value[node] = v;
  }
};

Marks& ThreadMarks(int which) {
  thread_local Marks marks[2];
  return marks[which];
}

uint32_t Bit(int value) { return 1u << value; }

}  // namespace

Result<CompiledFilter> CompiledFilter::Compile(const GraphFilter& filter,
                                               const EntityGraph& graph) {
  CompiledFilter compiled;
  if (filter.visible_to && !filter.visible_to->trusted) {
    const Viewer& viewer = *filter.visible_to;
    compiled.service_count_ = graph.service_count();
    compiled.visible_.assign(graph.marking_count() * compiled.service_count_, 0);
    for (size_t marking = 0; marking < graph.marking_count(); ++marking) {
      for (size_t owner = 0; owner < compiled.service_count_; ++owner) {
        compiled.visible_[marking * compiled.service_count_ + owner] =
            MayRead(graph.marking(static_cast<uint16_t>(marking)),
                    graph.service(static_cast<uint16_t>(owner)), viewer.clearance, viewer.service);
      }
    }
    if (compiled.visible_.empty()) compiled.visible_.push_back(0);  // nothing at all is visible
  }
  if (!filter.relationship_types.empty()) {
    compiled.relationship_mask_ = 0;
    for (auto type : filter.relationship_types)
      compiled.relationship_mask_ |= Bit(static_cast<int>(type));
  }
  if (!filter.categories.empty()) {
    compiled.category_mask_ = 0;
    for (auto category : filter.categories)
      compiled.category_mask_ |= Bit(static_cast<int>(category));
  }
  if (!filter.entity_types.empty()) {
    compiled.type_mask_ = 0;
    for (auto type : filter.entity_types) compiled.type_mask_ |= Bit(static_cast<int>(type));
  }
  if (!filter.from.empty()) {
    compiled.from_day_ = ParseDay(filter.from);
    if (compiled.from_day_ == kUnknownDay) {
      return InvalidArgument("filter field from: not a date (YYYY[-MM[-DD]]): '" + filter.from +
                             "'");
    }
  }
  if (!filter.to.empty()) {
    compiled.to_day_ = ParseDay(filter.to, /*round_up=*/true);
    if (compiled.to_day_ == kUnknownDay) {
      return InvalidArgument("filter field to: not a date (YYYY[-MM[-DD]]): '" + filter.to + "'");
    }
  }
  compiled.max_degree_ = filter.max_degree;
  return compiled;
}

bool MayExpand(const EntityGraph& graph, const CompiledFilter& filter, NodeIndex node) {
  if (filter.max_degree() == 0) return true;
  if (graph.RawDegree(node) <= filter.max_degree()) return true;  // cheap common case
  return graph.Degree(node) <= filter.max_degree();
}

namespace {

Result<NodeIndex> PresentNode(const EntityGraph& graph, const std::string& id, const char* what) {
  auto node = graph.FindNode(id);
  if (!node || !graph.node(*node).present) {
    return NotFound(std::string(what) + ": no entity " + id + " in the graph");
  }
  return *node;
}

}  // namespace

Subgraph Neighbourhood(const EntityGraph& graph, NodeIndex seed, int hops,
                       const CompiledFilter& filter, size_t max_nodes) {
  Subgraph result;
  Marks& marks = ThreadMarks(0);
  marks.Prepare(graph.node_count());
  marks.Set(seed, 0);
  result.nodes.push_back(seed);
  result.hops.push_back(0);
  size_t level_start = 0;
  for (int hop = 1; hop <= hops && !result.truncated; ++hop) {
    const size_t level_end = result.nodes.size();
    for (size_t pos = level_start; pos < level_end && !result.truncated; ++pos) {
      const NodeIndex node = result.nodes[pos];
      if (node != seed && !MayExpand(graph, filter, node)) continue;
      ForEachAllowedNeighbour(graph, filter, node, [&](NodeIndex other, EdgeIndex) {
        if (marks.Has(other) || result.truncated) return;
        if (result.nodes.size() >= max_nodes) {
          result.truncated = true;
          return;
        }
        marks.Set(other, hop);
        result.nodes.push_back(other);
        result.hops.push_back(hop);
      });
    }
    level_start = level_end;
  }
  for (const NodeIndex node : result.nodes) {
    ForEachAllowedNeighbour(graph, filter, node, [&](NodeIndex other, EdgeIndex edge) {
      if (other >= node && marks.Has(other)) result.edges.push_back(edge);
    });
  }
  // The seed's own category may be outside the filter; every other node passed NodeAllowed.
  return result;
}

Result<Subgraph> Neighbourhood(const EntityGraph& graph, const std::string& seed_id, int hops,
                               const GraphFilter& filter, size_t max_nodes) {
  if (hops < 0 || hops > 6) {
    return InvalidArgument("hops: must be between 0 and 6, got " + std::to_string(hops));
  }
  ENTENTE_ASSIGN_OR_RETURN(CompiledFilter compiled, CompiledFilter::Compile(filter, graph));
  ENTENTE_ASSIGN_OR_RETURN(NodeIndex seed, PresentNode(graph, seed_id, "neighbourhood"));
  return Neighbourhood(graph, seed, hops, compiled, max_nodes);
}

std::vector<EdgeIndex> EdgesBetween(const EntityGraph& graph, NodeIndex a, NodeIndex b,
                                    const CompiledFilter& filter) {
  std::vector<EdgeIndex> edges;
  graph.ForEachNeighbour(a, [&](NodeIndex other, EdgeIndex edge) {
    if (other == b && filter.EdgeAllowed(graph.edge(edge))) edges.push_back(edge);
  });
  return edges;
}

namespace {

constexpr uint64_t kSaturated = UINT64_MAX / 4;

uint64_t SaturatingAdd(uint64_t a, uint64_t b) { return std::min(kSaturated, a + b); }
uint64_t SaturatingMul(uint64_t a, uint64_t b) {
  if (a == 0 || b == 0) return 0;
  if (a > kSaturated / b) return kSaturated;
  return std::min(kSaturated, a * b);
}

// One side of the bidirectional search: the BFS DAG rooted at `root`.
class Side {
 public:
  Side(const EntityGraph& graph, const CompiledFilter& filter, Marks& marks, NodeIndex root,
       NodeIndex other_end)
      : graph_(graph), filter_(filter), marks_(marks), root_(root), other_end_(other_end) {}

  bool Interior(NodeIndex node) const {
    return node == root_ || node == other_end_ || MayExpand(graph_, filter_, node);
  }

  // Whether a walk may step onto `node`: the filter allows it, or it is an end of the path.
  bool Enterable(NodeIndex node) const {
    return node == root_ || node == other_end_ || filter_.NodeAllowed(graph_.node(node));
  }

  // Calls fn(neighbour) for each allowed step from `node`.
  template <typename Fn>
  void ForEachStep(NodeIndex node, Fn&& fn) const {
    graph_.ForEachNeighbour(node, [&](NodeIndex other, EdgeIndex edge) {
      if (filter_.EdgeAllowed(graph_.edge(edge)) && Enterable(other)) fn(other);
    });
  }

  // Predecessors of `node` in the DAG (distinct).
  std::vector<NodeIndex> Parents(NodeIndex node) const {
    std::vector<NodeIndex> parents;
    const int32_t dist = marks_.Get(node);
    ForEachStep(node, [&](NodeIndex other) {
      if (marks_.Has(other) && marks_.Get(other) == dist - 1 && Interior(other)) {
        parents.push_back(other);
      }
    });
    std::sort(parents.begin(), parents.end());
    parents.erase(std::unique(parents.begin(), parents.end()), parents.end());
    return parents;
  }

  uint64_t CountPaths(NodeIndex node) {
    if (node == root_) return 1;
    auto it = counts_.find(node);
    if (it != counts_.end()) return it->second;
    uint64_t total = 0;
    for (NodeIndex parent : Parents(node)) total = SaturatingAdd(total, CountPaths(parent));
    counts_[node] = total;
    return total;
  }

  // Paths root -> node (root first), at most `limit`.
  void Enumerate(NodeIndex node, size_t limit, std::vector<std::vector<NodeIndex>>* out) {
    std::vector<NodeIndex> stack{node};
    EnumerateFrom(node, limit, &stack, out);
  }

 private:
  void EnumerateFrom(NodeIndex node, size_t limit, std::vector<NodeIndex>* stack,
                     std::vector<std::vector<NodeIndex>>* out) {
    if (out->size() >= limit) return;
    if (node == root_) {
      out->emplace_back(stack->rbegin(), stack->rend());
      return;
    }
    for (NodeIndex parent : Parents(node)) {
      stack->push_back(parent);
      EnumerateFrom(parent, limit, stack, out);
      stack->pop_back();
      if (out->size() >= limit) return;
    }
  }

  const EntityGraph& graph_;
  const CompiledFilter& filter_;
  Marks& marks_;
  NodeIndex root_;
  NodeIndex other_end_;
  std::unordered_map<NodeIndex, uint64_t> counts_;
};

}  // namespace

PathSet ShortestPaths(const EntityGraph& graph, NodeIndex from, NodeIndex to,
                      const CompiledFilter& filter, int max_hops, size_t max_paths) {
  PathSet result;
  result.from = from;
  result.to = to;
  if (from == to) {
    result.length = 0;
    result.paths.push_back({from});
    result.total_paths = 1;
    return result;
  }
  Marks& marks_a = ThreadMarks(0);
  Marks& marks_b = ThreadMarks(1);
  marks_a.Prepare(graph.node_count());
  marks_b.Prepare(graph.node_count());
  marks_a.Set(from, 0);
  marks_b.Set(to, 0);
  Side side_a(graph, filter, marks_a, from, to);
  Side side_b(graph, filter, marks_b, to, from);
  std::vector<NodeIndex> frontier_a{from}, frontier_b{to}, next, meeting;
  int depth_a = 0, depth_b = 0;
  while (!frontier_a.empty() && !frontier_b.empty() && depth_a + depth_b < max_hops) {
    const bool expand_a = frontier_a.size() <= frontier_b.size();
    auto& frontier = expand_a ? frontier_a : frontier_b;
    Marks& mine = expand_a ? marks_a : marks_b;
    Marks& theirs = expand_a ? marks_b : marks_a;
    const Side& side = expand_a ? side_a : side_b;
    const int depth = (expand_a ? depth_a : depth_b) + 1;
    next.clear();
    for (const NodeIndex node : frontier) {
      if (!side.Interior(node)) continue;  // a hub: reached, never walked through
      side.ForEachStep(node, [&](NodeIndex other) {
        if (mine.Has(other)) return;
        mine.Set(other, depth);
        next.push_back(other);
        if (theirs.Has(other) && side.Interior(other)) meeting.push_back(other);
      });
    }
    frontier.swap(next);
    (expand_a ? depth_a : depth_b) = depth;
    if (!meeting.empty()) break;
  }
  if (meeting.empty()) return result;
  result.length = depth_a + depth_b;
  for (const NodeIndex middle : meeting) {
    result.total_paths = SaturatingAdd(
        result.total_paths, SaturatingMul(side_a.CountPaths(middle), side_b.CountPaths(middle)));
  }
  for (const NodeIndex middle : meeting) {
    if (result.paths.size() >= max_paths) break;
    std::vector<std::vector<NodeIndex>> heads, tails;
    side_a.Enumerate(middle, max_paths, &heads);
    side_b.Enumerate(middle, max_paths, &tails);
    for (const auto& head : heads) {
      for (const auto& tail : tails) {
        if (result.paths.size() >= max_paths) break;
        std::vector<NodeIndex> path = head;                       // from .. middle
        path.insert(path.end(), tail.rbegin() + 1, tail.rend());  // after middle .. to
        result.paths.push_back(std::move(path));
      }
    }
  }
  std::sort(result.paths.begin(), result.paths.end());
  result.truncated = result.total_paths > result.paths.size();
  return result;
}

Result<PathSet> ShortestPaths(const EntityGraph& graph, const std::string& from_id,
                              const std::string& to_id, const GraphFilter& filter, int max_hops,
                              size_t max_paths) {
  if (max_hops < 1 || max_hops > 16) {
    return InvalidArgument("max_hops: must be between 1 and 16, got " + std::to_string(max_hops));
  }
  ENTENTE_ASSIGN_OR_RETURN(CompiledFilter compiled, CompiledFilter::Compile(filter, graph));
  ENTENTE_ASSIGN_OR_RETURN(NodeIndex from, PresentNode(graph, from_id, "path start"));
  ENTENTE_ASSIGN_OR_RETURN(NodeIndex to, PresentNode(graph, to_id, "path end"));
  return ShortestPaths(graph, from, to, compiled, max_hops, max_paths);
}

Components ConnectedComponents(const EntityGraph& graph, const CompiledFilter& filter) {
  const size_t n = graph.node_count();
  std::vector<uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](uint32_t node) {
    while (parent[node] != node) {
      parent[node] = parent[parent[node]];
      node = parent[node];
    }
    return node;
  };
  std::vector<uint8_t> usable(n, 0);
  for (NodeIndex node = 0; node < n; ++node) {
    const NodeInfo& info = graph.node(node);
    usable[node] = info.present && filter.NodeAllowed(info) && MayExpand(graph, filter, node);
  }
  for (NodeIndex node = 0; node < n; ++node) {
    if (!usable[node]) continue;
    graph.ForEachNeighbour(node, [&](NodeIndex other, EdgeIndex edge) {
      if (other <= node || !usable[other] || !filter.EdgeAllowed(graph.edge(edge))) return;
      uint32_t a = find(node), b = find(other);
      if (a != b) parent[std::max(a, b)] = std::min(a, b);
    });
  }
  // Hubs (usable == 0 because of the degree limit) still form their own one-node component.
  std::vector<uint32_t> root_size(n, 0);
  for (NodeIndex node = 0; node < n; ++node) {
    const NodeInfo& info = graph.node(node);
    if (info.present && filter.NodeAllowed(info)) ++root_size[find(node)];
  }
  std::vector<uint32_t> roots;
  for (NodeIndex node = 0; node < n; ++node) {
    if (root_size[node] > 0) roots.push_back(node);
  }
  std::stable_sort(roots.begin(), roots.end(),
                   [&](uint32_t a, uint32_t b) { return root_size[a] > root_size[b]; });
  std::vector<uint32_t> number(n, kNoIndex);
  Components result;
  for (uint32_t root : roots) {
    number[root] = static_cast<uint32_t>(result.sizes.size());
    result.sizes.push_back(root_size[root]);
  }
  result.component_of.assign(n, kNoIndex);
  for (NodeIndex node = 0; node < n; ++node) {
    const NodeInfo& info = graph.node(node);
    if (info.present && filter.NodeAllowed(info)) result.component_of[node] = number[find(node)];
  }
  return result;
}

}  // namespace entente::graph
