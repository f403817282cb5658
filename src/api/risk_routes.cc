#include "api/risk_routes.h"

#include <charconv>

#include "graph/dates.h"
#include "graph/shared_graph.h"
#include "http/route.h"
#include "risk/risk.h"

namespace entente::risk {
namespace {

using server::HttpResponse;
using server::RequestContext;

graph::Viewer ViewerOf(const RequestContext& ctx) {
  return graph::Viewer::Of(ctx.principal.service, ctx.principal.clearance);
}

HttpResponse AssessEntity(RequestContext& ctx) {
  const std::string id = ctx.request.Param("id");
  const graph::Viewer viewer = ViewerOf(ctx);
  std::string body;
  Status status = [&]() -> Status {
    ENTENTE_ASSIGN_OR_RETURN(RiskRules rules, ResolveRiskRules(""));
    ENTENTE_ASSIGN_OR_RETURN(RiskSubject subject, SubjectForEntity(ctx.db, id));
    return graph::SharedGraph::Process().Use(
        ctx.records.CacheFeed(), [&](const graph::EntityGraph& g) -> Status {
          auto node = g.FindNode(id);
          if (!node || !g.CanSeeNode(*node, viewer)) return NotFound("no entity " + id);
          RiskEngine engine(rules, g);
          body = AssessmentToJson(engine.Assess(subject, viewer, graph::Today()));
          return Status::Ok();
        });
  }();
  Status audited = ctx.AuditAlone("risk.assess", id, status.ok() ? "ok" : "error");
  if (!status.ok()) return server::ErrorFromStatus(status);
  if (!audited.ok()) return server::ErrorFromStatus(audited);
  return server::JsonResponse(200, std::move(body));
}

HttpResponse RankList(RequestContext& ctx) {
  const std::string name = ctx.request.Param("name");
  int64_t top = 0;
  if (ctx.request.HasQuery("top")) {
    std::string text = ctx.request.Query("top");
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), top);
    if (ec != std::errc() || ptr != text.data() + text.size() || top < 0 || top > 1000000) {
      return server::ErrorFromStatus(
          InvalidArgument("field top: must be an integer between 0 and 1000000"));
    }
  }
  const graph::Viewer viewer = ViewerOf(ctx);
  std::string body;
  Status status = [&]() -> Status {
    ENTENTE_ASSIGN_OR_RETURN(RiskRules rules, ResolveRiskRules(""));
    ENTENTE_ASSIGN_OR_RETURN(ListSubjects list, SubjectsOfList(ctx.db, name));
    return graph::SharedGraph::Process().Use(
        ctx.records.CacheFeed(), [&](const graph::EntityGraph& g) -> Status {
          RiskEngine engine(rules, g);
          auto ranked = engine.Rank(list.subjects, viewer, graph::Today(), 2);
          auto rows = BestPerRow(ranked, list.subjects, list.row_of);
          if (top > 0 && rows.size() > static_cast<size_t>(top))
            rows.resize(static_cast<size_t>(top));
          body = RankingToJson(name, rows);
          return Status::Ok();
        });
  }();
  Status audited = ctx.AuditAlone("risk.rank-list", name, status.ok() ? "ok" : "error");
  if (!status.ok()) return server::ErrorFromStatus(status);
  if (!audited.ok()) return server::ErrorFromStatus(audited);
  return server::JsonResponse(200, std::move(body));
}

std::string OpenApi(const std::string& summary, const std::string& parameters) {
  return R"json({"summary": ")json" + summary + R"json(", "tags": ["risk"], "parameters": [)json" +
         parameters +
         R"json(], "responses": {"200": {"description": "Assessment(s) with factors, contributions and the records behind them", "content": {"application/json": {"schema": {"type": "object"}}}}, "400": {"description": "Bad parameter or bad rules file"}, "401": {"description": "Not authenticated"}, "403": {"description": "Not allowed"}, "404": {"description": "No such entity or list"}, "429": {"description": "Too many requests"}}})json";
}

}  // namespace

Status MountHttpRoutes(server::Router& router) {
  server::RouteSpec entity;
  entity.method = "GET";
  entity.pattern = "/api/v1/risk/entities/{id}";
  entity.permission = server::Permission::kRecordsRead;
  entity.rate_limited = true;
  entity.openapi =
      OpenApi("Risk assessment of one person, explained",
              R"({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}})");
  entity.handler = AssessEntity;
  ENTENTE_RETURN_IF_ERROR(router.Add(std::move(entity)));
  server::RouteSpec list;
  list.method = "GET";
  list.pattern = "/api/v1/risk/lists/{name}";
  list.permission = server::Permission::kScreenRun;
  list.rate_limited = true;
  list.openapi = OpenApi(
      "A screened list ranked by risk",
      R"({"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "top", "in": "query", "required": false, "schema": {"type": "integer"}})");
  list.handler = RankList;
  return router.Add(std::move(list));
}

}  // namespace entente::risk
