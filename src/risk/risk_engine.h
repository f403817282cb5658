// Risk assessment that explains itself: a score in [0, 100] and a level for a person (a known
// entity, or the entity a screening hit points at), from the factors of risk_rules.h, each with
// its contribution and the records behind it.
//
// The engine reads the EntityGraph (trusted) but assesses for one viewer: the network factor
// walks only the entities and links the viewer may read, so a hidden record neither raises the
// score nor shows (not its existence, category or distance); a subject the viewer may not read
// is withheld whole. A trusted viewer (the node itself) sees the whole graph. Screening facts
// (match score, alerts, the latest decision) come with the subject; screen_signals.h fills them in
// from the screening tables.
//
// Thread-safety: Assess() is const and may run on many threads at once over a graph no one is
// writing to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "graph/entity_graph.h"
#include "risk/risk_rules.h"

namespace entente::risk {

// Who or what is assessed.
struct RiskSubject {
  std::string entity_id;              // the known entity (empty: not in the store)
  std::string label;                  // who is screened ("Youssef EL AMRANI, row 12"); optional
  std::optional<double> match_score;  // screening hits only: the match engine's score
  std::string match_detail;           // its explanation, shown with the factor
  int64_t hit_id = 0;                 // screening hits only
  std::string decision;     // latest decision on the hit: "match", "no-match", "refer", ""
  std::string decision_by;  // who took it
  std::vector<int64_t> open_alert_ids;  // open alerts on the subject's hits
};

// A record behind a factor. Restricted records have no id, label or type.
struct RiskEvidence {
  std::string id;
  std::string label;
  std::string role;  // "subject", "flagged", "path", "via", "hit", "alert"
  bool restricted = false;
};

struct RiskFactor {
  std::string name;     // "match_confidence", "category_severity", ...
  bool missing = true;  // nothing to go on: contribution is 0
  double value = 0.0;   // in [0, 1] (decisions: -1, 0.2 or 1)
  double contribution = 0.0;
  std::string detail;  // for people: "human-trafficking severity 0.90"
  std::vector<RiskEvidence> records;
};

struct RiskAssessment {
  std::string subject_id;  // entity id, or "" when the subject is not in the store
  std::string subject_label;
  int64_t hit_id = 0;
  double score = 0.0;
  RiskLevel level = RiskLevel::kLow;
  double base = 0.0;
  std::vector<RiskFactor> factors;  // in a fixed order: see RiskEngine::kFactorNames
  std::string rules_origin;
  // The subject is a record the viewer may not read: nothing derived from it is shown (no
  // factor detail, no evidence, no score), only that an assessment exists and is withheld.
  bool restricted = false;
  // One line: "high 62.4: category +36.0, proximity +28.3, ..."
  std::string Summary() const;
};

class RiskEngine {
 public:
  static constexpr const char* kFactorNames[] = {
      "match_confidence", "category_severity", "source_reliability", "information_credibility",
      "recency",          "network_proximity", "open_alerts",        "decisions"};

  // REQUIRES: `graph` outlives the engine.
  RiskEngine(RiskRules rules, const graph::EntityGraph& graph)
      : rules_(std::move(rules)), graph_(graph) {}

  // `today` in days since 1970-01-01 (graph::Today()). A subject whose entity is not in the
  // graph is assessed on the screening facts alone (the entity factors are missing).
  RiskAssessment Assess(const RiskSubject& subject, const graph::Viewer& viewer,
                        int32_t today) const;

  // Assesses each subject and orders them by score, highest first (ties: input order).
  // For an event or a list: the first is the riskiest person.
  std::vector<RiskAssessment> Rank(const std::vector<RiskSubject>& subjects,
                                   const graph::Viewer& viewer, int32_t today,
                                   int threads = 1) const;

  const RiskRules& rules() const { return rules_; }

 private:
  void Proximity(graph::NodeIndex subject, const graph::Viewer& viewer, RiskFactor* factor) const;
  // `out` (factors named, nothing computed) marked restricted.
  static RiskAssessment Withheld(RiskAssessment out);
  RiskEvidence Evidence(graph::NodeIndex node, const graph::Viewer& viewer,
                        const std::string& role) const;

  RiskRules rules_;
  const graph::EntityGraph& graph_;
};

// The riskiest of a group (an event's attendees, a flight's travellers): its level is the
// highest level among them, with counts per level.
struct GroupRisk {
  double max_score = 0.0;
  RiskLevel level = RiskLevel::kLow;
  int64_t counts[4] = {0, 0, 0, 0};  // by RiskLevel
  int64_t restricted = 0;            // assessments withheld from the viewer
};
GroupRisk SummarizeGroup(const std::vector<RiskAssessment>& ranked);

}  // namespace entente::risk
