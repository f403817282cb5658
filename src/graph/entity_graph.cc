#include "graph/entity_graph.h"

#include <algorithm>

#include "graph/dates.h"

namespace entente::graph {

EntityGraph::EntityGraph() {
  InternService("");
  InternMarking(Marking{});
  offsets_.assign(1, 0);
}

Result<std::unique_ptr<EntityGraph>> EntityGraph::Build(RecordStore& store, ProgressBar* progress) {
  auto graph = std::make_unique<EntityGraph>();
  // Taken before the scan: changes landing during it are re-applied by CatchUp (idempotent).
  const int64_t start_seq = store.MaxChangeSeq();
  graph->bulk_loading_ = true;
  int64_t seen = 0;
  Status scanned = store.ForEachRecord(RecordFilter{}, [&](const Record& record) {
    graph->Apply(record);
    if (progress && (++seen & 0xFFFF) == 0) progress->Update(seen);
    return true;
  });
  graph->bulk_loading_ = false;
  if (!scanned.ok()) return scanned.WithContext("graph build");
  graph->Compact();
  graph->applied_seq_ = start_seq;
  return graph;
}

NodeIndex EntityGraph::InternNode(std::string_view id) {
  NodeIndex index = node_ids_.Intern(id);
  if (index >= nodes_.size()) nodes_.resize(index + 1);
  return index;
}

uint16_t EntityGraph::InternService(const std::string& service) {
  auto it = service_index_.find(service);
  if (it != service_index_.end()) return it->second;
  uint16_t index = static_cast<uint16_t>(std::min<size_t>(services_.size(), 0xFFFF));
  services_.push_back(service);
  service_index_.emplace(service, index);
  return index;
}

uint16_t EntityGraph::InternMarking(const Marking& marking) {
  for (size_t marking_idx = 0; marking_idx < markings_.size(); ++marking_idx) {
    if (markings_[marking_idx] == marking) return static_cast<uint16_t>(marking_idx);
  }
  if (markings_.size() >= 0xFFFF) return 0;  // cannot happen with real releasability lists
  markings_.push_back(marking);
  return static_cast<uint16_t>(markings_.size() - 1);
}

void EntityGraph::Apply(const Record& record) {
  if (const auto* entity = std::get_if<Entity>(&record)) {
    ApplyEntity(*entity);
  } else {
    ApplyRelationship(std::get<Relationship>(record));
  }
}

void EntityGraph::ApplyEntity(const Entity& entity) {
  NodeIndex index = InternNode(entity.meta.id);
  NodeInfo& info = nodes_[index];
  info.type = entity.type;
  info.category = entity.meta.category;
  info.present = !entity.meta.revoked;
  info.reliability = entity.meta.grades.reliability;
  info.credibility = static_cast<uint8_t>(entity.meta.grades.credibility);
  info.marking = InternMarking(entity.meta.marking);
  info.owner = InternService(entity.meta.provenance.service);
  int32_t day = ParseDay(entity.meta.provenance.last_seen);
  if (day == kUnknownDay) day = ParseDay(entity.meta.modified);
  if (day == kUnknownDay) day = ParseDay(entity.meta.created);
  info.last_seen_day = day;
  const std::string& label = entity.DisplayName();
  if (NodeLabel(index) != label) {
    info.label_offset = static_cast<uint32_t>(labels_.size());
    info.label_length = static_cast<uint32_t>(label.size());
    labels_ += label;
  }
}

void EntityGraph::ApplyRelationship(const Relationship& relationship) {
  if (relationship.source_id.empty() || relationship.target_id.empty()) return;
  uint32_t key = edge_ids_.Intern(relationship.meta.id);
  if (key >= edge_of_key_.size()) edge_of_key_.resize(key + 1, kNoIndex);
  EdgeIndex current = edge_of_key_[key];
  if (relationship.meta.revoked) {
    if (current != kNoIndex && edges_[current].alive) {
      edges_[current].alive = false;
      ++dead_edges_;
    }
    return;
  }
  EdgeInfo info;
  info.source = InternNode(relationship.source_id);
  info.target = InternNode(relationship.target_id);
  info.type = relationship.type;
  info.category = relationship.meta.category;
  info.reliability = relationship.meta.grades.reliability;
  info.credibility = static_cast<uint8_t>(relationship.meta.grades.credibility);
  info.marking = InternMarking(relationship.meta.marking);
  info.owner = InternService(relationship.meta.provenance.service);
  info.start_day = ParseDay(relationship.start);
  info.stop_day = ParseDay(relationship.stop, /*round_up=*/true);
  info.key = key;
  if (current != kNoIndex && edges_[current].source == info.source &&
      edges_[current].target == info.target) {
    if (!edges_[current].alive) --dead_edges_;
    edges_[current] = info;  // same ends: the adjacency entries stay valid
    return;
  }
  if (current != kNoIndex && edges_[current].alive) {
    edges_[current].alive = false;
    ++dead_edges_;
  }
  EdgeIndex slot = static_cast<EdgeIndex>(edges_.size());
  edges_.push_back(info);
  edge_of_key_[key] = slot;
  if (!bulk_loading_) AddToOverlay(slot);
}

void EntityGraph::AddToOverlay(EdgeIndex edge) {
  const EdgeInfo& info = edges_[edge];
  overlay_[info.source].emplace_back(info.target, edge);
  if (info.target != info.source) overlay_[info.target].emplace_back(info.source, edge);
  ++overlay_edges_;
}

Status EntityGraph::CatchUp(RecordStore& store) {
  Status status = store.ForEachChangeSince(applied_seq_, [&](const Change& change) {
    Record record = change.record;
    if (change.kind == ChangeKind::kRevoked) MetaOf(record).revoked = true;
    Apply(record);
    applied_seq_ = std::max(applied_seq_, change.seq);
    return true;
  });
  if (!status.ok()) return status.WithContext("graph catch-up");
  const int64_t live = static_cast<int64_t>(edges_.size()) - dead_edges_;
  if (overlay_edges_ * 20 > live || dead_edges_ * 5 > live + 1000) Compact();
  return Status::Ok();
}

void EntityGraph::Compact() {
  // Drop dead edge slots and renumber.
  if (dead_edges_ > 0) {
    std::vector<EdgeInfo> live;
    live.reserve(edges_.size() - dead_edges_);
    std::fill(edge_of_key_.begin(), edge_of_key_.end(), kNoIndex);
    for (const EdgeInfo& info : edges_) {
      if (!info.alive) continue;
      edge_of_key_[info.key] = static_cast<EdgeIndex>(live.size());
      live.push_back(info);
    }
    edges_ = std::move(live);
    dead_edges_ = 0;
  }
  // Counting sort of adjacency entries by node.
  csr_nodes_ = static_cast<uint32_t>(nodes_.size());
  offsets_.assign(csr_nodes_ + 1, 0);
  for (const EdgeInfo& info : edges_) {
    ++offsets_[info.source + 1];
    if (info.target != info.source) ++offsets_[info.target + 1];
  }
  for (uint32_t node_idx = 0; node_idx < csr_nodes_; ++node_idx) {
    offsets_[node_idx + 1] += offsets_[node_idx];
  }
  adj_nodes_.assign(offsets_[csr_nodes_], 0);
  adj_edges_.assign(offsets_[csr_nodes_], 0);
  std::vector<uint64_t> cursor(offsets_.begin(), offsets_.end() - 1);
  for (EdgeIndex edge_idx = 0; edge_idx < edges_.size(); ++edge_idx) {
    const EdgeInfo& info = edges_[edge_idx];
    uint64_t pos = cursor[info.source]++;
    adj_nodes_[pos] = info.target;
    adj_edges_[pos] = edge_idx;
    if (info.target != info.source) {
      pos = cursor[info.target]++;
      adj_nodes_[pos] = info.source;
      adj_edges_[pos] = edge_idx;
    }
  }
  overlay_.clear();
  overlay_edges_ = 0;
}

std::optional<NodeIndex> EntityGraph::FindNode(std::string_view id) const {
  return node_ids_.Find(id);
}

std::optional<EdgeIndex> EntityGraph::FindEdge(std::string_view id) const {
  auto key = edge_ids_.Find(id);
  if (!key || *key >= edge_of_key_.size() || edge_of_key_[*key] == kNoIndex) return std::nullopt;
  return edge_of_key_[*key];
}

std::string_view EntityGraph::NodeLabel(NodeIndex node) const {
  const NodeInfo& info = nodes_[node];
  return std::string_view(labels_).substr(info.label_offset, info.label_length);
}

uint32_t EntityGraph::Degree(NodeIndex node) const {
  uint32_t degree = 0;
  ForEachNeighbour(node, [&](NodeIndex, EdgeIndex) { ++degree; });
  return degree;
}

bool EntityGraph::CanSeeNode(NodeIndex node, const Viewer& viewer) const {
  const NodeInfo& info = nodes_[node];
  if (!info.present) return false;
  if (viewer.trusted) return true;
  return MayRead(markings_[info.marking], services_[info.owner], viewer.clearance, viewer.service);
}

bool EntityGraph::CanSeeEdge(EdgeIndex edge, const Viewer& viewer) const {
  const EdgeInfo& info = edges_[edge];
  if (!info.alive) return false;
  if (viewer.trusted) return true;
  return MayRead(markings_[info.marking], services_[info.owner], viewer.clearance, viewer.service);
}

GraphStats EntityGraph::Stats() const {
  GraphStats stats;
  for (const NodeInfo& info : nodes_) {
    if (info.present) {
      ++stats.nodes;
    } else {
      ++stats.placeholders;
    }
  }
  stats.edges = static_cast<int64_t>(edges_.size()) - dead_edges_;
  stats.dead_edges = dead_edges_;
  stats.overlay_edges = overlay_edges_;
  stats.applied_seq = applied_seq_;
  size_t bytes =
      node_ids_.MemoryBytes() + edge_ids_.MemoryBytes() + nodes_.capacity() * sizeof(NodeInfo) +
      edges_.capacity() * sizeof(EdgeInfo) + edge_of_key_.capacity() * sizeof(EdgeIndex) +
      labels_.capacity() + offsets_.capacity() * sizeof(uint64_t) +
      adj_nodes_.capacity() * sizeof(NodeIndex) + adj_edges_.capacity() * sizeof(EdgeIndex);
  for (const auto& [node, entries] : overlay_) {
    bytes += entries.capacity() * sizeof(entries[0]) + 32;
  }
  stats.memory_bytes = static_cast<int64_t>(bytes);
  return stats;
}

}  // namespace entente::graph
