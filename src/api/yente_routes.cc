// POST /match/{dataset}: yente's matching API (FollowTheMoney query by example) over the
// node's match engine, so a screening tool written for yente can screen against entente.
// yente's search, entity and catalog routes are in api/yente_search.h.
//
//   POST /match/default?threshold=0.75&limit=5
//   {"queries": {"q1": {"schema": "Person", "properties": {"name": ["Karim Benali"],
//                                                          "birthDate": ["1975-03-02"]}}}}
//   -> {"responses": {"q1": {"status": 200, "results": [{"id", "caption", "schema",
//        "properties", "datasets", "referents", "target", "score", "features", "match", ...}],
//        "total": {"value": 1, "relation": "eq"}, "query": {...}, "restricted": [...]}},
//       "matcher": {...features...}, "limit": 5}
//
// Markings and clearance apply as on /api/v1/match (api/match_core.h): a hit on a record the
// caller may not read is not a result; it is counted in the query's `restricted` list with
// the service to ask, and nothing else about it is said.
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "api/builtin_routes.h"
#include "api/ftm_view.h"
#include "api/match_core.h"
#include "api/route_util.h"
#include "api/yente_search.h"

namespace entente::server {
namespace {

using nlohmann::json;

constexpr size_t kMaxQueries = 100;
constexpr double kDefaultThreshold = 0.75;  // entente's calibrated default (docs/MATCHING.md)
constexpr double kDefaultCutoff = 0.5;

Result<double> Fraction(const HttpRequest& request, const std::string& name, double fallback) {
  if (!request.HasQuery(name)) return fallback;
  const std::string text = request.Query(name);
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(value >= 0 && value <= 1))
    return InvalidArgument("field " + name + ": a number from 0 to 1, got '" + text + "'");
  return value;
}

struct MatchParams {
  double threshold = kDefaultThreshold;
  double cutoff = kDefaultCutoff;
  int64_t limit = 5;
};

Result<MatchParams> ParamsOf(const HttpRequest& request) {
  const std::string algorithm = request.Query("algorithm", "best");
  if (algorithm != "best" && algorithm != "default" && algorithm != "entente") {
    return InvalidArgument("field algorithm: '" + algorithm +
                           "' is not offered; this node has one algorithm, 'entente' (also "
                           "accepted as 'best' and 'default')");
  }
  MatchParams params;
  ENTENTE_ASSIGN_OR_RETURN(params.threshold, Fraction(request, "threshold", kDefaultThreshold));
  ENTENTE_ASSIGN_OR_RETURN(params.cutoff, Fraction(request, "cutoff", kDefaultCutoff));
  ENTENTE_ASSIGN_OR_RETURN(params.limit, IntQuery(request, "limit", 5, 1, 100));
  return params;
}

json Features(const MatchResult& result) {
  json features = json::object();
  for (const MatchFactor& factor : result.factors) features[factor.factor] = factor.contribution;
  return features;
}

json ResultJson(const VisibleMatch& hit, const std::string& dataset, double threshold) {
  const RecordMeta& meta = hit.entity.meta;
  json result = YenteEntityJson(hit.entity, dataset);
  result["score"] = hit.result.score;
  result["features"] = Features(hit.result);
  result["match"] = hit.result.score >= threshold;
  result["entente"] = {{"tlp", TlpName(meta.marking.tlp)},
                       {"owner_service", meta.provenance.service},
                       {"matched_name", hit.result.matched_name},
                       {"explanation", hit.result.Explanation()}};
  return result;
}

// The engine's features, in the shape of yente's "matcher" documentation.
json MatcherDocs() {
  auto doc = [](const char* description) {
    return json{{"description", description}, {"coefficient", 1.0}, {"url", nullptr}};
  };
  return {{"name", doc("name similarity across scripts and spelling variants (the base score)")},
          {"birth_date", doc("birth dates agree, are close, or contradict")},
          {"nationality", doc("nationalities agree or contradict")},
          {"id_number", doc("a passport or identity number agrees or contradicts")},
          {"gender", doc("genders agree or contradict")}};
}

HttpResponse MatchDatasetOrError(RequestContext& ctx, MatchService* service) {
  const std::string dataset = ctx.request.Param("dataset");
  if (dataset != "default" && dataset != "entente") {
    return YenteError(
        404, "not_found",
        "unknown dataset '" + dataset + "': this node serves 'default' (every record you may read)",
        "dataset");
  }
  auto params = ParamsOf(ctx.request);
  if (!params.ok()) return ErrorFromStatus(params.status());
  auto body = ParseJsonObject(ctx.request.body);
  if (!body.ok()) return ErrorFromStatus(body.status());
  if (!body->contains("queries") || !(*body)["queries"].is_object())
    return ErrorFromStatus(InvalidArgument("field queries: required, an object keyed by query id"));
  const json& queries = (*body)["queries"];
  if (queries.empty() || queries.size() > kMaxQueries)
    return ErrorFromStatus(InvalidArgument("field queries: 1 to 100 queries"));
  json responses = json::object();
  int64_t results = 0;
  int64_t restricted = 0;
  for (const auto& [key, example] : queries.items()) {
    auto parsed = QueryFromFtmExample(example, "field queries." + key);
    if (!parsed.ok()) return ErrorFromStatus(parsed.status());
    for (MatchQuery& query : parsed->queries) {
      query.threshold = params->cutoff;
      query.top = static_cast<int>(params->limit);
    }
    auto found = MatchAnyName(ctx, service, parsed->queries, static_cast<size_t>(params->limit));
    if (!found.ok()) return ErrorFromStatus(found.status().WithContext("match index"));
    json items = json::array();
    for (const VisibleMatch& hit : found->visible)
      items.push_back(ResultJson(hit, dataset, params->threshold));
    json hidden = json::array();
    for (const RecordMeta& meta : found->restricted) {
      hidden.push_back(
          {{"owner_service", meta.provenance.service}, {"message", RestrictedMessage(meta)}});
    }
    results += static_cast<int64_t>(items.size());
    restricted += static_cast<int64_t>(hidden.size());
    responses[key] = {{"status", 200},
                      {"results", items},
                      {"total", {{"value", items.size()}, {"relation", "eq"}}},
                      {"query", example},
                      {"restricted", hidden},
                      {"ignored_properties", parsed->ignored}};
  }
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.AuditAlone("match.yente", dataset, "ok",
                                              {{"queries", std::to_string(queries.size())},
                                               {"results", std::to_string(results)},
                                               {"restricted", std::to_string(restricted)}}));
  return JsonResponse(
      200, Dump({{"responses", responses}, {"matcher", MatcherDocs()}, {"limit", params->limit}}));
}

// Every error answer of the route carries yente's `detail` beside entente's `error`.
HttpResponse MatchDataset(RequestContext& ctx, MatchService* service) {
  HttpResponse response = MatchDatasetOrError(ctx, service);
  if (response.status < 400) return response;
  json body = json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("error") && !body.contains("detail"))
    body["detail"] = body["error"].value("message", "");
  response.body = Dump(body);
  return response;
}

}  // namespace

Status MountYenteRoutes(Router& router, const BuiltinDeps& deps) {
  ENTENTE_RETURN_IF_ERROR(MountYenteDataRoutes(router, deps));
  MatchService* service = deps.match;
  return router.Add(
      {.method = "POST",
       .pattern = "/match/{dataset}",
       .permission = Permission::kMatch,
       .auth = kAuthBearer | kAuthBasic,
       .max_body = 512 * 1024,
       .rate_limited = true,
       .openapi =
           OpenApiOp{
               "Match FollowTheMoney entities by example (yente's matching API)",
               "match",
               {200, 400, 401, 403, 404, 413, 429, 503},
               {"algorithm:string:best, default or entente (the node's one algorithm)",
                "threshold:number:score from which a result is a match (default 0.75)",
                "cutoff:number:results scoring below are not returned (default 0.5)",
                "limit:integer:results per query, 1 to 100 (default 5)"},
               R"({"type": "object", "required": ["queries"], "properties": {"queries": {"type": "object", "additionalProperties": {"type": "object", "required": ["schema", "properties"], "properties": {"schema": {"type": "string", "enum": ["Person", "Organization", "Company", "LegalEntity", "Thing"]}, "properties": {"type": "object", "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}}}}}, "weights": {"type": "object"}}})",
               R"({"type": "object", "required": ["responses", "matcher", "limit"], "properties": {"responses": {"type": "object", "additionalProperties": {"type": "object", "properties": {"status": {"type": "integer"}, "results": {"type": "array", "items": {"type": "object", "required": ["id", "caption", "schema", "properties", "score", "features", "match"], "properties": {"id": {"type": "string"}, "caption": {"type": "string"}, "schema": {"type": "string"}, "properties": {"type": "object"}, "score": {"type": "number"}, "match": {"type": "boolean"}, "features": {"type": "object", "additionalProperties": {"type": "number"}}}}}, "total": {"type": "object"}, "query": {"type": "object"}, "restricted": {"type": "array", "items": {"type": "object"}}}}}, "matcher": {"type": "object"}, "limit": {"type": "integer"}}})"}
               .ToJson(),
       .handler = [service](RequestContext& ctx) { return MatchDataset(ctx, service); },
       .error_formatter = YenteError});
}

}  // namespace entente::server
