// EntityGraph: the store's entities and relationships as a compact, undirected graph (CSR
// arrays), kept in step with the store through its change feed.
//
// Nodes are entities, edges are relationships (a relationship "A member-of B" is one edge
// between A and B; its direction is kept in EdgeInfo). Each node and edge keeps only what the
// analyses need: type, threat category, Admiralty grades, marking, dates and a display label;
// the full record stays in the store. A relationship that names an entity the graph has not seen
// makes a placeholder node (present == false) that traversals skip until the entity arrives.
//
// Updates: CatchUp() applies the change feed since applied_seq(). Changed or new relationships
// go to a small overlay beside the CSR arrays and the replaced ones are marked dead; Compact()
// folds the overlay back into the arrays (CatchUp does it by itself when the overlay passes 5% of
// the edges). Revoked records disappear from traversals.
//
// Markings: the graph is trusted-layer data. CanSeeNode/CanSeeEdge tell whether a Viewer may
// see a record's content (model/entity.h MayRead); the renderers in graph_json.h use them, so
// that a path through a record the viewer may not see is reported without its content.
//
// Thread-safety: const methods may be called from many threads at once; Apply, CatchUp and
// Compact need exclusive access (hold a std::shared_mutex for writing around them).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/progress.h"
#include "common/status.h"
#include "graph/id_table.h"
#include "model/codec.h"
#include "model/entity.h"
#include "store/record_store.h"

namespace entente::graph {

using NodeIndex = uint32_t;
using EdgeIndex = uint32_t;
inline constexpr uint32_t kNoIndex = 0xFFFFFFFFu;

// Who is looking. A trusted viewer (the risk engine, a local administrator) sees everything.
struct Viewer {
  bool trusted = false;
  Tlp clearance = Tlp::kClear;
  std::string service;  // the reader's service; records owned by it are always visible

  static Viewer Trusted() { return Viewer{true, Tlp::kRed, ""}; }
  static Viewer Of(std::string service, Tlp clearance) {
    return Viewer{false, clearance, std::move(service)};
  }
};

struct NodeInfo {
  EntityType type = EntityType::kPerson;
  ThreatCategory category = ThreatCategory::kOther;
  bool present = false;  // false: placeholder or revoked
  char reliability = 'F';
  uint8_t credibility = 6;
  uint16_t marking = 0;               // index into the graph's marking table
  uint16_t owner = 0;                 // index into the graph's service table
  int32_t last_seen_day = INT32_MIN;  // provenance.last_seen, else modified; days since epoch
  uint32_t label_offset = 0;
  uint32_t label_length = 0;
};

struct EdgeInfo {
  NodeIndex source = 0;  // relationship source (the "A" of "A member-of B")
  NodeIndex target = 0;
  RelationshipType type = RelationshipType::kAssociateOf;
  ThreatCategory category = ThreatCategory::kOther;
  bool alive = true;
  char reliability = 'F';
  uint8_t credibility = 6;
  uint16_t marking = 0;
  uint16_t owner = 0;
  int32_t start_day = INT32_MIN;
  int32_t stop_day = INT32_MIN;
  uint32_t key = 0;  // index of the relationship id in the graph's id table
};

struct GraphStats {
  int64_t nodes = 0;          // entities present
  int64_t placeholders = 0;   // referenced but absent or revoked
  int64_t edges = 0;          // live relationships
  int64_t dead_edges = 0;     // replaced or revoked, awaiting Compact()
  int64_t overlay_edges = 0;  // live relationships outside the CSR arrays
  int64_t memory_bytes = 0;
  int64_t applied_seq = 0;
};

class EntityGraph {
 public:
  EntityGraph();
  EntityGraph(const EntityGraph&) = delete;
  EntityGraph& operator=(const EntityGraph&) = delete;
  EntityGraph(EntityGraph&&) = default;
  EntityGraph& operator=(EntityGraph&&) = default;

  // Loads every current record of `store`. Errors: the store's.
  static Result<std::unique_ptr<EntityGraph>> Build(RecordStore& store,
                                                    ProgressBar* progress = nullptr);

  // Adds, replaces or (when revoked) removes one record. Invalid relationships (empty ends) are
  // ignored. Call Compact() after a bulk load.
  void Apply(const Record& record);
  // Applies the store's change feed since applied_seq(). Errors: the store's.
  Status CatchUp(RecordStore& store);
  // Rebuilds the CSR arrays from the live edges; empties the overlay.
  void Compact();
  // For loading many records at once (Build() does this): between BeginBulk() and EndBulk(),
  // Apply() skips the overlay, and new relationships are not traversable until EndBulk()
  // (which compacts).
  void BeginBulk() { bulk_loading_ = true; }
  void EndBulk() {
    bulk_loading_ = false;
    Compact();
  }
  int64_t applied_seq() const { return applied_seq_; }
  void set_applied_seq(int64_t seq) { applied_seq_ = seq; }

  // Node slots, placeholders included (valid NodeIndex values are < node_count()).
  size_t node_count() const { return nodes_.size(); }
  size_t edge_count() const { return edges_.size(); }  // dead ones included
  std::optional<NodeIndex> FindNode(std::string_view id) const;
  std::optional<EdgeIndex> FindEdge(std::string_view id) const;
  std::string NodeId(NodeIndex node) const { return node_ids_.Get(node); }
  std::string EdgeId(EdgeIndex edge) const { return edge_ids_.Get(edges_[edge].key); }
  std::string_view NodeLabel(NodeIndex node) const;
  const NodeInfo& node(NodeIndex node) const { return nodes_[node]; }
  const EdgeInfo& edge(EdgeIndex edge) const { return edges_[edge]; }
  const Marking& marking(uint16_t index) const { return markings_[index]; }
  const std::string& service(uint16_t index) const { return services_[index]; }
  size_t marking_count() const { return markings_.size(); }
  size_t service_count() const { return services_.size(); }

  // Calls fn(NodeIndex neighbour, EdgeIndex edge) for every live edge of `node` whose other end
  // is present. A self-loop is reported once.
  template <typename Fn>
  void ForEachNeighbour(NodeIndex node, Fn&& fn) const {
    if (node < csr_nodes_) {
      for (uint64_t pos = offsets_[node]; pos < offsets_[node + 1]; ++pos) {
        const EdgeIndex edge = adj_edges_[pos];
        const NodeIndex other = adj_nodes_[pos];
        if (edges_[edge].alive && nodes_[other].present) fn(other, edge);
      }
    }
    if (!overlay_.empty()) {
      auto it = overlay_.find(node);
      if (it == overlay_.end()) return;
      for (const auto& [other, edge] : it->second) {
        if (edges_[edge].alive && nodes_[other].present) fn(other, edge);
      }
    }
  }
  // Live edges of `node` (dead ones and those to absent nodes excluded).
  uint32_t Degree(NodeIndex node) const;
  // An upper bound of Degree() in O(1) (counts edges awaiting Compact() too): for hub checks.
  uint64_t RawDegree(NodeIndex node) const {
    uint64_t degree = node < csr_nodes_ ? offsets_[node + 1] - offsets_[node] : 0;
    if (!overlay_.empty()) {
      auto it = overlay_.find(node);
      if (it != overlay_.end()) degree += it->second.size();
    }
    return degree;
  }

  bool CanSeeNode(NodeIndex node, const Viewer& viewer) const;
  bool CanSeeEdge(EdgeIndex edge, const Viewer& viewer) const;

  GraphStats Stats() const;

 private:
  NodeIndex InternNode(std::string_view id);
  uint16_t InternService(const std::string& service);
  uint16_t InternMarking(const Marking& marking);
  void ApplyEntity(const Entity& entity);
  void ApplyRelationship(const Relationship& relationship);
  void AddToOverlay(EdgeIndex edge);

  IdTable node_ids_;
  IdTable edge_ids_;
  std::vector<EdgeIndex> edge_of_key_;  // relationship id index -> current edge slot
  bool bulk_loading_ = false;           // Build(): no overlay, one Compact() at the end
  std::vector<NodeInfo> nodes_;
  std::vector<EdgeInfo> edges_;
  std::string labels_;
  std::vector<std::string> services_;
  std::unordered_map<std::string, uint16_t> service_index_;
  std::vector<Marking> markings_;

  // CSR over nodes [0, csr_nodes_): neighbours of v at [offsets_[v], offsets_[v+1]).
  uint32_t csr_nodes_ = 0;
  std::vector<uint64_t> offsets_;
  std::vector<NodeIndex> adj_nodes_;
  std::vector<EdgeIndex> adj_edges_;
  // Edges added since the last Compact(), by node.
  std::unordered_map<NodeIndex, std::vector<std::pair<NodeIndex, EdgeIndex>>> overlay_;
  int64_t overlay_edges_ = 0;
  int64_t dead_edges_ = 0;
  int64_t applied_seq_ = 0;
};

}  // namespace entente::graph
