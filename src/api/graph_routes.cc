#include "api/graph_routes.h"

#include <charconv>

#include "graph/graph_views.h"
#include "graph/shared_graph.h"
#include "http/route.h"

namespace entente::graph {
namespace {

using server::HttpResponse;
using server::RequestContext;

// All values of a repeatable query parameter, commas splitting too.
std::vector<std::string> Values(const server::HttpRequest& request, const std::string& name) {
  std::vector<std::string> out;
  auto [begin, end] = request.query.equal_range(name);
  for (auto it = begin; it != end; ++it) {
    size_t start = 0;
    const std::string& text = it->second;
    while (start <= text.size()) {
      size_t comma = text.find(',', start);
      if (comma == std::string::npos) comma = text.size();
      if (comma > start) out.push_back(text.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return out;
}

Result<int64_t> IntParam(const server::HttpRequest& request, const std::string& name,
                         int64_t fallback, int64_t lo, int64_t hi) {
  if (!request.HasQuery(name)) return fallback;
  std::string text = request.Query(name);
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < lo || value > hi) {
    return InvalidArgument("field " + name + ": must be an integer between " + std::to_string(lo) +
                           " and " + std::to_string(hi));
  }
  return value;
}

Result<std::optional<ThreatCategory>> CategoryParam(const server::HttpRequest& request) {
  if (!request.HasQuery("category")) return std::optional<ThreatCategory>();
  auto category = ParseThreatCategory(request.Query("category"));
  if (!category) return InvalidArgument("field category: unknown threat category");
  return std::optional<ThreatCategory>(*category);
}

Result<GraphFilter> FilterParams(const server::HttpRequest& request, bool node_filters) {
  GraphFilter filter;
  for (const auto& text : Values(request, "rel")) {
    auto type = ParseRelationshipType(text);
    if (!type) return InvalidArgument("field rel: unknown relationship type '" + text + "'");
    filter.relationship_types.push_back(*type);
  }
  if (node_filters) {
    for (const auto& text : Values(request, "category")) {
      auto category = ParseThreatCategory(text);
      if (!category)
        return InvalidArgument("field category: unknown threat category '" + text + "'");
      filter.categories.push_back(*category);
    }
    for (const auto& text : Values(request, "entity_type")) {
      auto type = ParseEntityType(text);
      if (!type) return InvalidArgument("field entity_type: unknown entity type '" + text + "'");
      filter.entity_types.push_back(*type);
    }
    // The date window is since/until: from/to name the two ends of a path.
    filter.from = request.Query("since");
    filter.to = request.Query("until");
  }
  ENTENTE_ASSIGN_OR_RETURN(int64_t degree, IntParam(request, "max_degree", 0, 0, 1000000000));
  filter.max_degree = static_cast<uint32_t>(degree);
  return filter;
}

Viewer ViewerOf(const RequestContext& ctx) {
  return Viewer::Of(ctx.principal.service, ctx.principal.clearance);
}

// Runs `render` on the shared graph and answers with its JSON.
HttpResponse Answer(RequestContext& ctx, std::string_view action, const std::string& target,
                    const std::function<Result<std::string>(const EntityGraph&)>& render) {
  std::string body;
  Status status =
      SharedGraph::Process().Use(ctx.records.CacheFeed(), [&](const EntityGraph& graph) -> Status {
        ENTENTE_ASSIGN_OR_RETURN(body, render(graph));
        return Status::Ok();
      });
  Status audited = ctx.AuditAlone(action, target, status.ok() ? "ok" : "error");
  if (!status.ok()) return server::ErrorFromStatus(status);
  if (!audited.ok()) return server::ErrorFromStatus(audited);
  return server::JsonResponse(200, std::move(body));
}

HttpResponse Neighbours(RequestContext& ctx) {
  NeighbourhoodRequest request;
  request.id = ctx.request.Param("id");
  auto hops = IntParam(ctx.request, "hops", 1, 0, 6);
  auto max_nodes = IntParam(ctx.request, "max_nodes", 2000, 1, 100000);
  auto filter = FilterParams(ctx.request, true);
  if (!hops.ok()) return server::ErrorFromStatus(hops.status());
  if (!max_nodes.ok()) return server::ErrorFromStatus(max_nodes.status());
  if (!filter.ok()) return server::ErrorFromStatus(filter.status());
  request.hops = static_cast<int>(*hops);
  request.max_nodes = static_cast<size_t>(*max_nodes);
  request.filter = *filter;
  const Viewer viewer = ViewerOf(ctx);
  return Answer(ctx, "graph.neighbours", request.id, [&](const EntityGraph& graph) {
    return RenderNeighbourhood(graph, request, viewer, OutputFormat::kJson);
  });
}

HttpResponse Path(RequestContext& ctx) {
  PathRequest request;
  request.from = ctx.request.Query("from");
  request.to = ctx.request.Query("to");
  if (request.from.empty() || request.to.empty()) {
    return server::ErrorFromStatus(InvalidArgument("field from: both from and to are required"));
  }
  auto max_hops = IntParam(ctx.request, "max_hops", 8, 1, 16);
  auto max_paths = IntParam(ctx.request, "max_paths", 20, 1, 1000);
  auto filter = FilterParams(ctx.request, true);
  if (!max_hops.ok()) return server::ErrorFromStatus(max_hops.status());
  if (!max_paths.ok()) return server::ErrorFromStatus(max_paths.status());
  if (!filter.ok()) return server::ErrorFromStatus(filter.status());
  request.max_hops = static_cast<int>(*max_hops);
  request.max_paths = static_cast<size_t>(*max_paths);
  request.filter = *filter;
  const Viewer viewer = ViewerOf(ctx);
  return Answer(ctx, "graph.path", request.from + " " + request.to, [&](const EntityGraph& graph) {
    return RenderPaths(graph, request, viewer, OutputFormat::kJson);
  });
}

HttpResponse Networks(RequestContext& ctx) {
  NetworkOptions options;
  auto category = CategoryParam(ctx.request);
  auto min_size = IntParam(ctx.request, "min_size", 3, 1, 1000000000);
  auto max = IntParam(ctx.request, "max", 20, 1, 1000);
  auto top = IntParam(ctx.request, "top", 5, 0, 100);
  auto filter = FilterParams(ctx.request, false);
  for (const Status& status :
       {category.status(), min_size.status(), max.status(), top.status(), filter.status()}) {
    if (!status.ok()) return server::ErrorFromStatus(status);
  }
  options.category = *category;
  options.min_size = static_cast<size_t>(*min_size);
  options.max_networks = static_cast<size_t>(*max);
  options.top_central = static_cast<size_t>(*top);
  options.filter = *filter;
  const Viewer viewer = ViewerOf(ctx);
  return Answer(ctx, "graph.networks", ctx.request.Query("category"),
                [&](const EntityGraph& graph) {
                  return RenderNetworks(graph, options, viewer, OutputFormat::kJson);
                });
}

HttpResponse Central(RequestContext& ctx) {
  CentralRequest request;
  auto category = CategoryParam(ctx.request);
  auto top = IntParam(ctx.request, "top", 10, 1, 1000);
  auto filter = FilterParams(ctx.request, false);
  for (const Status& status : {category.status(), top.status(), filter.status()}) {
    if (!status.ok()) return server::ErrorFromStatus(status);
  }
  auto measure = ParseCentralityMeasure(ctx.request.Query("measure", "pagerank"));
  if (!measure) {
    return server::ErrorFromStatus(
        InvalidArgument("field measure: must be pagerank, betweenness or degree"));
  }
  request.measure = *measure;
  request.category = *category;
  request.top = static_cast<size_t>(*top);
  request.figures_only = ctx.request.Query("all_types", "0") == "0";
  request.filter = *filter;
  const Viewer viewer = ViewerOf(ctx);
  return Answer(ctx, "graph.central", ctx.request.Query("category"), [&](const EntityGraph& graph) {
    return RenderCentral(graph, request, viewer, OutputFormat::kJson);
  });
}

std::string OpenApi(const std::string& summary, const std::string& parameters) {
  return R"json({"summary": ")json" + summary + R"json(", "tags": ["graph"], "parameters": [)json" +
         parameters +
         R"json(], "responses": {"200": {"description": "The result as drawable JSON (nodes, edges, ...)", "content": {"application/json": {"schema": {"type": "object"}}}}, "400": {"description": "Bad parameter"}, "401": {"description": "Not authenticated"}, "403": {"description": "Not allowed"}, "404": {"description": "No such entity (or one you may not read)"}, "429": {"description": "Too many requests"}}})json";
}

std::string QueryParam(const std::string& name, const std::string& type, bool required = false) {
  return R"({"name": ")" + name + R"(", "in": "query", "required": )" +
         (required ? "true" : "false") + R"(, "schema": {"type": ")" + type + R"("}})";
}

const std::string kFilters = QueryParam("rel", "string") + ", " + QueryParam("category", "string") +
                             ", " + QueryParam("entity_type", "string") + ", " +
                             QueryParam("since", "string") + ", " + QueryParam("until", "string") +
                             ", " + QueryParam("max_degree", "integer");

}  // namespace

Status MountHttpRoutes(server::Router& router) {
  auto spec = [](const char* pattern, std::string openapi, server::RouteHandler handler) {
    server::RouteSpec route;
    route.method = "GET";
    route.pattern = pattern;
    route.permission = server::Permission::kRecordsRead;
    route.rate_limited = true;
    route.openapi = std::move(openapi);
    route.handler = std::move(handler);
    return route;
  };
  ENTENTE_RETURN_IF_ERROR(router.Add(spec(
      "/api/v1/graph/neighbours/{id}",
      OpenApi("Entities within K hops of one entity",
              R"({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}, )" +
                  QueryParam("hops", "integer") + ", " + QueryParam("max_nodes", "integer") + ", " +
                  kFilters),
      Neighbours)));
  ENTENTE_RETURN_IF_ERROR(router.Add(
      spec("/api/v1/graph/path",
           OpenApi("All shortest paths between two entities",
                   QueryParam("from", "string", true) + ", " + QueryParam("to", "string", true) +
                       ", " + QueryParam("max_hops", "integer") + ", " +
                       QueryParam("max_paths", "integer") + ", " + kFilters),
           Path)));
  ENTENTE_RETURN_IF_ERROR(router.Add(spec(
      "/api/v1/graph/networks",
      OpenApi("Networks with their communities and central figures",
              QueryParam("category", "string") + ", " + QueryParam("min_size", "integer") + ", " +
                  QueryParam("max", "integer") + ", " + QueryParam("top", "integer") + ", " +
                  QueryParam("rel", "string") + ", " + QueryParam("max_degree", "integer")),
      Networks)));
  ENTENTE_RETURN_IF_ERROR(router.Add(spec(
      "/api/v1/graph/central",
      OpenApi("Central figures by PageRank, betweenness or degree",
              QueryParam("top", "integer") + ", " + QueryParam("measure", "string") + ", " +
                  QueryParam("category", "string") + ", " + QueryParam("all_types", "integer") +
                  ", " + QueryParam("rel", "string") + ", " + QueryParam("max_degree", "integer")),
      Central)));
  return Status::Ok();
}

}  // namespace entente::graph
