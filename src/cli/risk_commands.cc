// Commands of src/risk: `entente risk ID` (assess one known person) and
// `entente risk --list NAME` (rank a screened list's hits by risk). Rules come from --rules
// FILE, else $ENTENTE_RISK_RULES, else the built-in copy of config/risk_rules.toml.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/cli_context.h"
#include "graph/dates.h"
#include "graph/entity_graph.h"
#include "risk/risk.h"

namespace entente::cli {
namespace {

struct RiskArgs {
  std::string id;
  std::string list;
  std::string rules;
  std::string format = "table";
  std::string clearance = "RED";
  size_t top = 50;
  int threads = 2;
};

Status RunRisk(const RiskArgs& args, const CliContext& ctx) {
  if (args.id.empty() == args.list.empty()) {
    return InvalidArgument("give either an entity ID or --list NAME (not both)");
  }
  auto tlp = ParseTlp(args.clearance);
  if (!tlp) return InvalidArgument("--clearance: unknown TLP '" + args.clearance + "'");
  const graph::Viewer viewer = graph::Viewer::Of(ctx.service, *tlp);
  ENTENTE_ASSIGN_OR_RETURN(risk::RiskRules rules, risk::ResolveRiskRules(args.rules));
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, ctx.OpenDatabase());
  RecordStore store(db.get());
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<graph::EntityGraph> entity_graph,
                           graph::EntityGraph::Build(store));
  risk::RiskEngine engine(std::move(rules), *entity_graph);
  const bool json = args.format == "json";
  if (!args.id.empty()) {
    auto node = entity_graph->FindNode(args.id);
    if (!node || !entity_graph->CanSeeNode(*node, viewer)) return NotFound("no entity " + args.id);
    ENTENTE_ASSIGN_OR_RETURN(risk::RiskSubject subject, risk::SubjectForEntity(*db, args.id));
    risk::RiskAssessment assessment = engine.Assess(subject, viewer, graph::Today());
    std::string out =
        json ? risk::AssessmentToJson(assessment) : risk::AssessmentToText(assessment);
    std::fputs(out.c_str(), stdout);
    return Status::Ok();
  }
  ENTENTE_ASSIGN_OR_RETURN(risk::ListSubjects list, risk::SubjectsOfList(*db, args.list));
  std::vector<risk::RiskAssessment> ranked =
      engine.Rank(list.subjects, viewer, graph::Today(), args.threads);
  std::vector<risk::RiskAssessment> rows = risk::BestPerRow(ranked, list.subjects, list.row_of);
  if (json) {
    std::fputs(risk::RankingToJson(args.list, rows).c_str(), stdout);
  } else {
    std::fputs(risk::RankingToText(args.list, rows, args.top).c_str(), stdout);
    std::printf("%lld of %lld row(s) had no hit: not assessed (low)\n",
                static_cast<long long>(list.rows_without_hits), static_cast<long long>(list.rows));
  }
  return Status::Ok();
}

}  // namespace

void RegisterRiskCommands(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<RiskArgs>();
  CLI::App* command = app.add_subcommand(
      "risk",
      "Explainable risk: `risk ID` assesses a person, `risk --list NAME` ranks a screened list");
  command->add_option("id", args->id, "Entity id to assess (person--...)");
  command->add_option("--list", args->list, "A screened list: rank its hits by risk");
  command->add_option(
      "--rules", args->rules,
      "Risk rules TOML file (default $ENTENTE_RISK_RULES or the built-in config/risk_rules.toml)");
  command->add_option("--format", args->format, "Output: table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  command->add_option("--clearance", args->clearance, "Highest TLP you may read (default RED)");
  command->add_option("--top", args->top,
                      "With --list: rows shown in the table (default 50; 0 all)");
  command->add_option("--threads", args->threads, "With --list: assessment threads (default 2)")
      ->check(CLI::Range(1, 64));
  command->callback([&ctx, args] {
    Status status = RunRisk(*args, ctx);
    if (!status.ok()) ctx.exit_code = ReportError(status);
  });
}

}  // namespace entente::cli
