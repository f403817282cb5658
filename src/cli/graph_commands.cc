// Commands of src/graph: `entente graph neighbours|path|networks|central|stats`.
// Each loads the graph from the store, runs one analysis and prints a table (default) or the
// JSON the web UI draws (--format json). Results are filtered by the markings the reader may
// see: --clearance (default RED) and this node's --service.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_context.h"
#include "graph/graph.h"

namespace entente::cli {
namespace {

using namespace entente::graph;

struct GraphArgs {
  std::string format = "table";
  std::string clearance = "RED";
  std::vector<std::string> relationship_types;
  std::vector<std::string> categories;
  std::vector<std::string> entity_types;
  std::string from, to;
  uint32_t max_degree = 0;
};

void AddCommonOptions(CLI::App* command, GraphArgs& args, bool with_filters) {
  command
      ->add_option("--format", args.format, "Output: table (default) or json (what the UI draws)")
      ->check(CLI::IsMember({"table", "json"}));
  command->add_option(
      "--clearance", args.clearance,
      "Highest TLP you may read (CLEAR, GREEN, AMBER, AMBER+STRICT, RED; default RED)");
  if (!with_filters) return;
  command->add_option("--rel", args.relationship_types,
                      "Only these relationship types (member-of, uses-phone, ...; repeatable)");
  command->add_option(
      "--category", args.categories,
      "Only entities of these threat categories (terrorism, narcotics, ...; repeatable)");
  command->add_option(
      "--entity-type", args.entity_types,
      "Only entities of these types (person, organization, phone, ...; repeatable)");
  command->add_option("--from", args.from,
                      "Only relationships active on or after this date (YYYY[-MM[-DD]])");
  command->add_option("--to", args.to, "Only relationships active on or before this date");
  command->add_option(
      "--max-degree", args.max_degree,
      "Do not walk through entities with more relationships than this (0: no limit)");
}

Result<GraphFilter> ToFilter(const GraphArgs& args) {
  GraphFilter filter;
  for (const auto& text : args.relationship_types) {
    auto type = ParseRelationshipType(text);
    if (!type) return InvalidArgument("--rel: unknown relationship type '" + text + "'");
    filter.relationship_types.push_back(*type);
  }
  for (const auto& text : args.categories) {
    auto category = ParseThreatCategory(text);
    if (!category) return InvalidArgument("--category: unknown threat category '" + text + "'");
    filter.categories.push_back(*category);
  }
  for (const auto& text : args.entity_types) {
    auto type = ParseEntityType(text);
    if (!type) return InvalidArgument("--entity-type: unknown entity type '" + text + "'");
    filter.entity_types.push_back(*type);
  }
  filter.from = args.from;
  filter.to = args.to;
  filter.max_degree = args.max_degree;
  return filter;
}

Result<Viewer> ToViewer(const GraphArgs& args, const CliContext& ctx) {
  auto tlp = ParseTlp(args.clearance);
  if (!tlp) return InvalidArgument("--clearance: unknown TLP '" + args.clearance + "'");
  return Viewer::Of(ctx.service, *tlp);
}

OutputFormat ToFormat(const GraphArgs& args) {
  return args.format == "json" ? OutputFormat::kJson : OutputFormat::kTable;
}

// Opens the store, builds the graph and runs `fn` on it; prints its output.
void Run(CliContext& ctx, const std::function<Result<std::string>(const EntityGraph&)>& fn) {
  auto db = ctx.OpenOrReport();
  if (!db) return;
  RecordStore store(db.get());
  auto graph = EntityGraph::Build(store);
  if (!graph.ok()) {
    ctx.exit_code = ReportError(graph.status());
    return;
  }
  auto output = fn(**graph);
  if (!output.ok()) {
    ctx.exit_code = ReportError(output.status());
    return;
  }
  std::fputs(output->c_str(), stdout);
}

}  // namespace

void RegisterGraphCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* graph = app.add_subcommand(
      "graph", "Link analysis: neighbourhoods, paths, networks, central figures");
  graph->require_subcommand(1);

  {
    auto args = std::make_shared<GraphArgs>();
    auto request = std::make_shared<NeighbourhoodRequest>();
    CLI::App* command =
        graph->add_subcommand("neighbours", "The entities within K hops of one entity");
    command->alias("neighbors");
    command->add_option("id", request->id, "Entity id (person--...)")->required();
    command->add_option("--hops", request->hops, "How many hops (0-6, default 1)")
        ->check(CLI::Range(0, 6));
    command->add_option("--max-nodes", request->max_nodes,
                        "Stop after this many entities (default 2000)");
    AddCommonOptions(command, *args, true);
    command->callback([&ctx, args, request] {
      auto filter = ToFilter(*args);
      auto viewer = ToViewer(*args, ctx);
      if (!filter.ok() || !viewer.ok()) {
        ctx.exit_code = ReportError(!filter.ok() ? filter.status() : viewer.status());
        return;
      }
      request->filter = *filter;
      Run(ctx, [&](const EntityGraph& g) {
        return RenderNeighbourhood(g, *request, *viewer, ToFormat(*args));
      });
    });
  }
  {
    auto args = std::make_shared<GraphArgs>();
    auto request = std::make_shared<PathRequest>();
    CLI::App* command = graph->add_subcommand(
        "path", "All shortest paths between two entities, with the relationships on the way");
    command->add_option("from", request->from, "First entity id")->required();
    command->add_option("to", request->to, "Second entity id")->required();
    command
        ->add_option("--max-hops", request->max_hops, "Longest path looked for (1-16, default 8)")
        ->check(CLI::Range(1, 16));
    command->add_option("--max-paths", request->max_paths,
                        "Show at most this many paths (default 20)");
    AddCommonOptions(command, *args, true);
    command->callback([&ctx, args, request] {
      auto filter = ToFilter(*args);
      auto viewer = ToViewer(*args, ctx);
      if (!filter.ok() || !viewer.ok()) {
        ctx.exit_code = ReportError(!filter.ok() ? filter.status() : viewer.status());
        return;
      }
      request->filter = *filter;
      Run(ctx,
          [&](const EntityGraph& g) { return RenderPaths(g, *request, *viewer, ToFormat(*args)); });
    });
  }
  {
    auto args = std::make_shared<GraphArgs>();
    auto options = std::make_shared<NetworkOptions>();
    auto category = std::make_shared<std::string>();
    CLI::App* command = graph->add_subcommand(
        "networks", "Connected networks, their communities and central figures");
    command->add_option("--category", *category,
                        "Only networks holding entities of this threat category");
    command->add_option("--min-size", options->min_size, "Smallest network listed (default 3)");
    command->add_option("--max", options->max_networks,
                        "At most this many networks, largest first (default 20)");
    command->add_option("--top", options->top_central, "Central figures per network (default 5)");
    AddCommonOptions(command, *args, false);
    command->add_option("--rel", args->relationship_types,
                        "Only these relationship types (repeatable)");
    command->add_option("--max-degree", args->max_degree,
                        "Leave out entities with more relationships than this");
    command->callback([&ctx, args, options, category] {
      auto filter = ToFilter(*args);
      auto viewer = ToViewer(*args, ctx);
      if (!filter.ok() || !viewer.ok()) {
        ctx.exit_code = ReportError(!filter.ok() ? filter.status() : viewer.status());
        return;
      }
      if (!category->empty()) {
        options->category = ParseThreatCategory(*category);
        if (!options->category) {
          ctx.exit_code = ReportError(
              InvalidArgument("--category: unknown threat category '" + *category + "'"));
          return;
        }
      }
      options->filter = *filter;
      Run(ctx, [&](const EntityGraph& g) {
        return RenderNetworks(g, *options, *viewer, ToFormat(*args));
      });
    });
  }
  {
    auto args = std::make_shared<GraphArgs>();
    auto request = std::make_shared<CentralRequest>();
    auto measure = std::make_shared<std::string>("pagerank");
    auto category = std::make_shared<std::string>();
    auto all_types = std::make_shared<bool>(false);
    CLI::App* command = graph->add_subcommand(
        "central", "The central figures of the graph or of one category's networks");
    command->add_option("--top", request->top, "How many (default 10)");
    command->add_option("--measure", *measure, "pagerank (default), betweenness or degree")
        ->check(CLI::IsMember({"pagerank", "betweenness", "degree"}));
    command->add_option("--category", *category,
                        "Only within networks holding this threat category");
    command->add_flag("--all-types", *all_types,
                      "Rank every entity, not only persons and organizations");
    AddCommonOptions(command, *args, false);
    command->add_option("--rel", args->relationship_types,
                        "Only these relationship types (repeatable)");
    command->add_option("--max-degree", args->max_degree,
                        "Leave out entities with more relationships than this");
    command->callback([&ctx, args, request, measure, category, all_types] {
      auto filter = ToFilter(*args);
      auto viewer = ToViewer(*args, ctx);
      if (!filter.ok() || !viewer.ok()) {
        ctx.exit_code = ReportError(!filter.ok() ? filter.status() : viewer.status());
        return;
      }
      request->measure = *ParseCentralityMeasure(*measure);
      request->figures_only = !*all_types;
      if (!category->empty()) {
        request->category = ParseThreatCategory(*category);
        if (!request->category) {
          ctx.exit_code = ReportError(
              InvalidArgument("--category: unknown threat category '" + *category + "'"));
          return;
        }
      }
      request->filter = *filter;
      Run(ctx, [&](const EntityGraph& g) {
        return RenderCentral(g, *request, *viewer, ToFormat(*args));
      });
    });
  }
  {
    CLI::App* command =
        graph->add_subcommand("stats", "Size and memory of the graph built from the store");
    command->callback([&ctx] {
      Run(ctx, [](const EntityGraph& g) -> Result<std::string> {
        GraphStats stats = g.Stats();
        char buffer[512];
        std::snprintf(buffer, sizeof(buffer),
                      "entities       %lld\nplaceholders   %lld\nrelationships  %lld\n"
                      "memory         %.1f MiB\nchange_seq     %lld\n",
                      static_cast<long long>(stats.nodes),
                      static_cast<long long>(stats.placeholders),
                      static_cast<long long>(stats.edges), stats.memory_bytes / 1048576.0,
                      static_cast<long long>(stats.applied_seq));
        return std::string(buffer);
      });
    });
  }
}

}  // namespace entente::cli
