#include "demo/network_risk_step.h"

#include <cstdio>
#include <optional>
#include <set>

#include "common/text.h"
#include "demo/demo_output.h"
#include "graph/dates.h"
#include "graph/graph.h"
#include "risk/risk.h"
#include "store/record_store.h"

namespace entente::demo {
namespace {

// The services whose records make up a set of nodes and edges.
std::string ServicesOf(const graph::EntityGraph& g, const std::vector<graph::NodeIndex>& nodes) {
  std::set<std::string> services;
  for (graph::NodeIndex n : nodes) services.insert(g.service(g.node(n).owner));
  std::vector<std::string> list(services.begin(), services.end());
  return Join(list, " and ");
}

Status ShowNetwork(const graph::EntityGraph& g, const char* title, ThreatCategory category,
                   const std::vector<std::string>& planted) {
  if (planted.empty()) return Status::Ok();
  std::optional<graph::NodeIndex> hub = g.FindNode(planted[0]);
  if (!hub)
    return NotFound(std::string(title) + ": the planted leader " + planted[0] +
                    " is not in the graph");
  graph::NetworkOptions options;
  options.category = category;
  options.top_central = 3;
  options.max_networks = 1000;
  ENTENTE_ASSIGN_OR_RETURN(std::vector<graph::Network> networks, graph::FindNetworks(g, options));
  const graph::Network* found = nullptr;
  for (const graph::Network& n : networks)
    for (graph::NodeIndex m : n.members)
      if (m == *hub) found = &n;
  if (!found) {
    Say(std::string(title) + ": not found among the " + std::string(ThreatCategoryName(category)) +
        " networks");
    return Status::Ok();
  }
  std::printf("%s (%s): %zu entities, %lld relationships, %zu communit%s, records of %s\n", title,
              std::string(ThreatCategoryName(category)).c_str(), found->members.size(),
              (long long)found->relationships, found->communities.size(),
              found->communities.size() == 1 ? "y" : "ies", ServicesOf(g, found->members).c_str());
  std::printf("  central figures (betweenness):");
  for (size_t rank = 0; rank < found->central.size(); ++rank) {
    const graph::ScoredNode& s = found->central[rank];
    std::printf("%s %zu. %s [%s] %.2f", rank ? ";" : "", rank + 1,
                std::string(g.NodeLabel(s.node)).c_str(), g.service(g.node(s.node).owner).c_str(),
                s.score);
  }
  std::printf("\n");
  bool first = !found->central.empty() && found->central[0].node == *hub;
  std::printf("  planted leader %s found first: %s\n", std::string(g.NodeLabel(*hub)).c_str(),
              first ? "yes" : "no");
  return Status::Ok();
}

// The graph of one service's own records only (what it would see without the partner).
std::unique_ptr<graph::EntityGraph> OwnRecordsGraph(RecordStore& store, const std::string& service,
                                                    Status* status) {
  auto g = std::make_unique<graph::EntityGraph>();
  g->BeginBulk();
  *status = store.ForEachRecord(RecordFilter{}, [&](const Record& r) {
    if (MetaOf(r).provenance.service == service) g->Apply(r);
    return true;
  });
  g->EndBulk();
  return g;
}

}  // namespace

Status RunNetworkRiskStep(Database& db, const NetworkRiskStepInput& input) {
  const SampleData& data = *input.data;
  RecordStore store(&db);
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<graph::EntityGraph> g, graph::EntityGraph::Build(store));
  graph::GraphStats stats = g->Stats();
  std::printf(
      "link graph of both services' records: %lld entities, %lld relationships "
      "(`entente graph networks`, `entente graph central`)\n",
      (long long)stats.nodes, (long long)stats.edges);
  ENTENTE_RETURN_IF_ERROR(
      ShowNetwork(*g, "smuggling ring", ThreatCategory::kNarcotics, data.smuggling_network));
  ENTENTE_RETURN_IF_ERROR(ShowNetwork(*g, "trafficking ring", ThreatCategory::kHumanTrafficking,
                                      data.trafficking_network));
  Say("Neither service alone sees either ring whole: the members are split between their files");
  Say("and meet through a phone and trips that only the other service recorded.");

  // The applicant who is high risk only through the partner's record.
  ENTENTE_ASSIGN_OR_RETURN(risk::RiskRules rules, risk::DefaultRiskRules());
  const graph::Viewer viewer = graph::Viewer::Of(input.service, Tlp::kAmber);
  const int32_t today = graph::Today();
  risk::RiskSubject subject;
  bool from_hit = false;
  auto list = risk::SubjectsOfList(db, input.list_name);
  if (list.ok()) {
    for (const risk::RiskSubject& s : list->subjects)
      if (s.entity_id == data.linked_applicant_entity_id && !from_hit) {
        subject = s;
        from_hit = true;
      }
  }
  if (!from_hit) {
    ENTENTE_ASSIGN_OR_RETURN(subject, risk::SubjectForEntity(db, data.linked_applicant_entity_id));
    subject.label = data.linked_applicant_id;
  }
  risk::RiskEngine engine(rules, *g);
  risk::RiskAssessment with_partner = engine.Assess(subject, viewer, today);
  Status own_status;
  std::unique_ptr<graph::EntityGraph> own = OwnRecordsGraph(store, input.service, &own_status);
  ENTENTE_RETURN_IF_ERROR(own_status);
  risk::RiskAssessment without_partner =
      risk::RiskEngine(rules, *own).Assess(subject, viewer, today);

  Say("Applicant " + data.linked_applicant_id + " matches no suspect: the screening " +
      (from_hit ? "hit points at a " + std::string(kMoroccanService) +
                      " record of someone with no threat category"
                : "found only a record of someone with no threat category") +
      ". `entente risk` says:");
  std::string text = risk::AssessmentToText(with_partner);
  for (const std::string& line : SplitNonEmpty(text, '\n')) Say("  " + line);
  std::printf(
      "linked applicant %s: %s %.1f with the partner's records; %s %.1f with %s's own "
      "records only.\n",
      data.linked_applicant_id.c_str(),
      std::string(risk::RiskLevelName(with_partner.level)).c_str(), with_partner.score,
      std::string(risk::RiskLevelName(without_partner.level)).c_str(), without_partner.score,
      input.service.c_str());
  Say("The difference is the phone DGSI recorded for the smuggling ring: the link through the");
  Say("partner's record is what makes this applicant one to look at.");
  return Status::Ok();
}

}  // namespace entente::demo
