#include "risk/risk_engine.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <thread>

namespace entente::risk {
namespace {

using graph::EdgeIndex;
using graph::kNoIndex;
using graph::NodeIndex;

// Per-thread breadth-first state, reset by bumping an epoch.
struct Scratch {
  std::vector<uint32_t> stamp;
  std::vector<float> strength;
  std::vector<NodeIndex> parent;
  std::vector<EdgeIndex> parent_edge;
  std::vector<uint8_t> hops;
  uint32_t epoch = 0;
  std::vector<NodeIndex> level, next;

  void Prepare(size_t size) {
    if (stamp.size() < size) {
      stamp.resize(size, 0);
      strength.resize(size);
      parent.resize(size);
      parent_edge.resize(size);
      hops.resize(size);
    }
    if (++epoch == 0) {
      std::fill(stamp.begin(), stamp.end(), 0);
      epoch = 1;
    }
  }
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

bool Expandable(const graph::EntityGraph& graph, NodeIndex node, uint32_t max_degree) {
  if (max_degree == 0 || graph.RawDegree(node) <= max_degree) return true;
  return graph.Degree(node) <= max_degree;
}

std::string Num(double value, int decimals = 2) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  return buffer;
}

std::string Signed(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%+.1f", value);
  return buffer;
}

void Apply(const FactorRule& rule, double value, RiskFactor* factor) {
  factor->missing = false;
  factor->value = value;
  factor->contribution = rule.weight * (value - rule.neutral);
}

}  // namespace

RiskEvidence RiskEngine::Evidence(NodeIndex node, const graph::Viewer& viewer,
                                  const std::string& role) const {
  RiskEvidence evidence;
  evidence.role = role;
  if (!graph_.CanSeeNode(node, viewer)) {
    evidence.restricted = true;
    return evidence;
  }
  evidence.id = graph_.NodeId(node);
  evidence.label = std::string(graph_.NodeLabel(node));
  return evidence;
}

void RiskEngine::Proximity(NodeIndex subject, const graph::Viewer& viewer,
                           RiskFactor* factor) const {
  Scratch& scratch = ThreadScratch();
  scratch.Prepare(graph_.node_count());
  scratch.stamp[subject] = scratch.epoch;
  scratch.strength[subject] = 1.0f;
  scratch.parent[subject] = kNoIndex;
  scratch.hops[subject] = 0;
  scratch.level.assign(1, subject);
  double best_value = 0.0;
  NodeIndex best = kNoIndex;
  const double max_strength = *std::max_element(rules_.strength.begin(), rules_.strength.end());
  const double max_severity = *std::max_element(rules_.severity.begin(), rules_.severity.end());
  for (int hop = 1; hop <= rules_.max_hops && !scratch.level.empty(); ++hop) {
    // Stop when no entity further away could beat the best found.
    float level_max = 0;
    for (NodeIndex node : scratch.level) level_max = std::max(level_max, scratch.strength[node]);
    if (best != kNoIndex && level_max * max_strength * max_severity <= best_value) break;
    scratch.next.clear();
    for (NodeIndex node : scratch.level) {
      if (node != subject && !Expandable(graph_, node, rules_.max_degree)) continue;
      const float base = scratch.strength[node];
      graph_.ForEachNeighbour(node, [&](NodeIndex other, EdgeIndex edge) {
        // Only what the viewer may read: a hidden link or entity neither raises the score nor
        // shows in the explanation (its existence, category and distance are its owner's).
        if (!graph_.CanSeeEdge(edge, viewer) || !graph_.CanSeeNode(other, viewer)) return;
        const float strength = base * static_cast<float>(rules_.Strength(graph_.edge(edge).type));
        if (scratch.stamp[other] != scratch.epoch) {
          scratch.stamp[other] = scratch.epoch;
          scratch.strength[other] = strength;
          scratch.parent[other] = node;
          scratch.parent_edge[other] = edge;
          scratch.hops[other] = static_cast<uint8_t>(hop);
          scratch.next.push_back(other);
        } else if (scratch.hops[other] == hop && strength > scratch.strength[other]) {
          scratch.strength[other] = strength;
          scratch.parent[other] = node;
          scratch.parent_edge[other] = edge;
        }
      });
    }
    // Nodes of this level have their final strength now.
    for (NodeIndex node : scratch.next) {
      const double severity = rules_.Severity(graph_.node(node).category);
      if (severity < rules_.flagged_min_severity || severity <= 0) continue;
      const double value = severity * scratch.strength[node];
      if (value > best_value || (value == best_value && best != kNoIndex && node < best)) {
        best_value = value;
        best = node;
      }
    }
    scratch.level.swap(scratch.next);
  }
  if (best == kNoIndex) {
    factor->detail = "no flagged entity within " + std::to_string(rules_.max_hops) + " hops";
    return;
  }
  Apply(rules_.network_proximity, best_value, factor);
  const int hops = scratch.hops[best];
  factor->records.push_back(Evidence(best, viewer, "flagged"));
  std::vector<std::string> steps;
  for (NodeIndex node = best; node != subject; node = scratch.parent[node]) {
    const EdgeIndex edge = scratch.parent_edge[node];
    RiskEvidence link;
    link.role = "path";
    link.id = graph_.EdgeId(edge);
    link.label = std::string(RelationshipTypeName(graph_.edge(edge).type));
    factor->records.push_back(link);
    steps.push_back(link.label);
    const NodeIndex previous = scratch.parent[node];
    if (previous != subject) factor->records.push_back(Evidence(previous, viewer, "via"));
  }
  std::reverse(steps.begin(), steps.end());
  std::string chain;
  for (const auto& step : steps) chain += (chain.empty() ? "" : " > ") + step;
  const auto& flagged = graph_.node(best);
  factor->detail = std::string(ThreatCategoryName(flagged.category)) + " entity " +
                   std::to_string(hops) + " hop(s) away (" + chain + "), path strength " +
                   Num(scratch.strength[best]) + " x severity " +
                   Num(rules_.Severity(flagged.category));
}

RiskAssessment RiskEngine::Withheld(RiskAssessment out) {
  out.subject_id.clear();
  out.restricted = true;
  out.score = 0.0;
  for (RiskFactor& factor : out.factors) {
    factor.detail = "withheld: derived from a record you may not read";
  }
  return out;
}

RiskAssessment RiskEngine::Assess(const RiskSubject& subject, const graph::Viewer& viewer,
                                  int32_t today) const {
  RiskAssessment out;
  out.subject_id = subject.entity_id;
  out.subject_label = subject.label;
  out.hit_id = subject.hit_id;
  out.base = rules_.base;
  out.rules_origin = rules_.origin;
  out.factors.resize(std::size(kFactorNames));
  for (size_t idx = 0; idx < out.factors.size(); ++idx) out.factors[idx].name = kFactorNames[idx];
  RiskFactor& match = out.factors[0];
  RiskFactor& category = out.factors[1];
  RiskFactor& reliability = out.factors[2];
  RiskFactor& credibility = out.factors[3];
  RiskFactor& recency = out.factors[4];
  RiskFactor& proximity = out.factors[5];
  RiskFactor& alerts = out.factors[6];
  RiskFactor& decisions = out.factors[7];

  std::optional<NodeIndex> node;
  if (!subject.entity_id.empty()) {
    node = graph_.FindNode(subject.entity_id);
    if (node && !graph_.node(*node).present) node.reset();
  }
  const bool visible = node && graph_.CanSeeNode(*node, viewer);
  if (node && !visible) return Withheld(std::move(out));
  if (node && out.subject_label.empty() && visible) {
    out.subject_label = std::string(graph_.NodeLabel(*node));
  }

  if (subject.match_score) {
    Apply(rules_.match_confidence, std::clamp(*subject.match_score, 0.0, 1.0), &match);
    match.detail = "match score " + Num(*subject.match_score) +
                   (subject.match_detail.empty() ? "" : ": " + subject.match_detail);
  } else {
    match.detail = "not a screening hit";
  }

  if (node) {
    const graph::NodeInfo& info = graph_.node(*node);
    RiskEvidence self = Evidence(*node, viewer, "subject");
    const double severity = rules_.Severity(info.category);
    Apply(rules_.category_severity, severity, &category);
    category.detail = std::string(ThreatCategoryName(info.category)) + " severity " + Num(severity);
    category.records.push_back(self);

    auto grade = rules_.reliability_values.find(info.reliability);
    if (grade != rules_.reliability_values.end()) {
      Apply(rules_.source_reliability, grade->second, &reliability);
      reliability.records.push_back(self);
    }
    reliability.detail = std::string("source reliability ") + info.reliability +
                         (grade == rules_.reliability_values.end() ? " (cannot be judged)" : "");
    auto cred = rules_.credibility_values.find(info.credibility);
    if (cred != rules_.credibility_values.end()) {
      Apply(rules_.information_credibility, cred->second, &credibility);
      credibility.records.push_back(self);
    }
    credibility.detail = "information credibility " + std::to_string(info.credibility) +
                         (cred == rules_.credibility_values.end() ? " (cannot be judged)" : "");

    if (info.last_seen_day != INT32_MIN) {
      const double age = std::max(0, today - info.last_seen_day);
      Apply(rules_.recency, std::pow(0.5, age / rules_.half_life_days), &recency);
      recency.detail = "last information " + std::to_string(static_cast<int64_t>(age)) +
                       " day(s) old (half-life " + Num(rules_.half_life_days, 0) + ")";
      recency.records.push_back(self);
    } else {
      recency.detail = "no date";
    }
    Proximity(*node, viewer, &proximity);
  } else {
    const char* why = subject.entity_id.empty() ? "not a known entity" : "entity not in the graph";
    category.detail = reliability.detail = credibility.detail = recency.detail = proximity.detail =
        why;
  }

  if (!subject.open_alert_ids.empty()) {
    const double count = static_cast<double>(subject.open_alert_ids.size());
    Apply(rules_.open_alerts, std::min(1.0, count / rules_.alerts_saturation), &alerts);
    alerts.detail = std::to_string(subject.open_alert_ids.size()) + " open alert(s)";
    for (int64_t alert_id : subject.open_alert_ids) {
      alerts.records.push_back({"alert-" + std::to_string(alert_id), "", "alert", false});
    }
  } else {
    alerts.detail = "no open alert";
  }

  if (!subject.decision.empty()) {
    decisions.missing = false;
    if (subject.decision == "match") {
      decisions.value = 1.0;
      decisions.contribution = rules_.decision_match;
    } else if (subject.decision == "no-match") {
      decisions.value = -1.0;
      decisions.contribution = rules_.decision_no_match;
    } else if (subject.decision == "refer") {
      decisions.value = 0.2;
      decisions.contribution = rules_.decision_refer;
    } else {
      decisions.missing = true;
    }
    decisions.detail = "decision '" + subject.decision + "'" +
                       (subject.decision_by.empty() ? "" : " by " + subject.decision_by);
    if (subject.hit_id) {
      decisions.records.push_back({"hit-" + std::to_string(subject.hit_id), "", "hit", false});
    }
  } else {
    decisions.detail = "no decision";
  }

  double score = rules_.base;
  for (const RiskFactor& factor : out.factors) score += factor.contribution;
  out.score = std::clamp(score, 0.0, 100.0);
  out.level = rules_.LevelOf(out.score);
  return out;
}

std::vector<RiskAssessment> RiskEngine::Rank(const std::vector<RiskSubject>& subjects,
                                             const graph::Viewer& viewer, int32_t today,
                                             int threads) const {
  std::vector<RiskAssessment> out(subjects.size());
  threads = std::max(1, std::min<int>(threads, static_cast<int>(subjects.size() / 256) + 1));
  if (threads == 1) {
    for (size_t idx = 0; idx < subjects.size(); ++idx)
      out[idx] = Assess(subjects[idx], viewer, today);
  } else {
    std::vector<std::thread> pool;
    for (int thread_idx = 0; thread_idx < threads; ++thread_idx) {
      pool.emplace_back([&, thread_idx] {
        for (size_t idx = thread_idx; idx < subjects.size(); idx += threads) {
          out[idx] = Assess(subjects[idx], viewer, today);
        }
      });
    }
    for (auto& thread : pool) thread.join();
  }
  std::vector<size_t> order(out.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return out[a].score > out[b].score; });
  std::vector<RiskAssessment> ranked;
  ranked.reserve(out.size());
  for (size_t idx : order) ranked.push_back(std::move(out[idx]));
  return ranked;
}

std::string RiskAssessment::Summary() const {
  if (restricted) return "restricted: derived from a record you may not read";
  std::string text = std::string(RiskLevelName(level)) + " " + Num(score, 1) + ":";
  bool first = true;
  for (const RiskFactor& factor : factors) {
    if (factor.missing || factor.contribution == 0) continue;
    text += (first ? " " : ", ") + factor.name + " " + Signed(factor.contribution);
    first = false;
  }
  if (first) text += " base only";
  return text;
}

GroupRisk SummarizeGroup(const std::vector<RiskAssessment>& ranked) {
  GroupRisk group;
  for (const RiskAssessment& assessment : ranked) {
    if (assessment.restricted) {
      ++group.restricted;
      continue;
    }
    group.max_score = std::max(group.max_score, assessment.score);
    group.level = std::max(group.level, assessment.level);
    ++group.counts[static_cast<int>(assessment.level)];
  }
  return group;
}

}  // namespace entente::risk
