// The W3C Entity Reconciliation Service API (v0.2, the one OpenRefine speaks) over the node's
// match engine, so an analyst can reconcile a spreadsheet column of names against the node.
//
//   GET  /reconcile                      -> the service manifest
//   GET  /reconcile?queries={...}        -> a batch of queries (as POST)
//   POST /reconcile  queries={"q0": {"query": "Karim Benali", "type": "Person", "limit": 3,
//                    "properties": [{"pid": "birthDate", "v": "1975-03-02"}]}}
//        (form-encoded, as OpenRefine sends it, or a JSON body {"queries": {...}})
//   -> {"q0": {"result": [{"id", "name", "type": [{"id", "name"}], "score", "match",
//                          "features": [{"id", "value"}], "description"}]}}
//   POST /reconcile  extend={"ids": [...], "properties": [...]}  (or GET ?extend=): data
//        extension; the suggest and propose services are in api/reconcile_services.h, and
//        the manifest advertises them.
//
// Scores are the engine's, times 100; `match` is true from 0.90 (OpenRefine then matches the
// cell without asking). Markings and clearance apply as on /api/v1/match (api/match_core.h):
// a hit on a record the caller may not read is not a candidate; the query's
// `entente_restricted` list says a hit exists and which service to ask.
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "api/builtin_routes.h"
#include "api/ftm_view.h"
#include "api/match_core.h"
#include "api/reconcile_services.h"
#include "api/route_util.h"

namespace entente::server {
namespace {

using nlohmann::json;

constexpr double kAutoMatch = 0.90;
constexpr double kCutoff = 0.5;

json Manifest(const RequestContext& ctx) {
  json types = json::array(
      {{{"id", "Person"}, {"name", "Person"}}, {{"id", "Organization"}, {"name", "Organization"}}});
  json manifest = {{"versions", json::array({"0.1", "0.2"})},
                   {"name", "entente (" + ctx.node_service + ")"},
                   {"identifierSpace", "urn:entente:record"},
                   {"schemaSpace", "urn:entente:schema"},
                   {"defaultTypes", types},
                   {"view", {{"url", "/ui/#/entity/{{id}}"}}}};
  manifest.update(ReconcileServiceManifest(ctx));
  return manifest;
}

// The `extend` parameter of a data extension request (query, form field or JSON body), if
// this request is one. A body that does not parse is no extension request: the batch parser
// then names what is wrong with it.
std::optional<std::string> ExtendOf(const HttpRequest& request) {
  if (request.HasQuery("extend")) return request.Query("extend");
  if (request.method != "POST" || request.HasQuery("queries")) return std::nullopt;
  if (request.Header("content-type").rfind("application/json", 0) == 0) {
    auto body = ParseJsonObject(request.body);
    if (!body.ok() || !body->contains("extend")) return std::nullopt;
    const json& extend = (*body)["extend"];
    return extend.is_string() ? extend.get<std::string>() : extend.dump();
  }
  auto form = ParseFormBody(request.body);
  if (!form.ok()) return std::nullopt;
  auto it = form->find("extend");
  return it == form->end() ? std::nullopt : std::optional<std::string>(it->second);
}

// A property value of a reconciliation query as FtM strings: a string, a number, an
// {"id": ...} object, or a list of those.
Result<json> PropertyValues(const json& value, const std::string& where) {
  json out = json::array();
  auto one = [&](const json& item) -> Status {
    if (item.is_string()) {
      out.push_back(item);
    } else if (item.is_number()) {
      out.push_back(item.dump());
    } else if (item.is_object() && item.contains("id") && item["id"].is_string()) {
      out.push_back(item["id"]);
    } else {
      return InvalidArgument(where + ": expected a string, a number or {\"id\": ...}");
    }
    return Status::Ok();
  };
  if (value.is_array()) {
    for (const json& item : value) ENTENTE_RETURN_IF_ERROR(one(item));
  } else {
    ENTENTE_RETURN_IF_ERROR(one(value));
  }
  return out;
}

// One reconciliation query as an FtM example (api/ftm_view.h) plus its limit.
Result<std::pair<json, int64_t>> ExampleOf(const json& query, const std::string& where) {
  if (!query.is_object()) return InvalidArgument(where + ": expected an object");
  if (!query.contains("query") || !query["query"].is_string())
    return InvalidArgument(where + ".query: required, the text to reconcile");
  std::string schema = "LegalEntity";
  if (query.contains("type")) {
    const json& type = query["type"];
    if (type.is_string()) {
      schema = type.get<std::string>();
    } else if (type.is_array() && type.size() == 1 && type[0].is_string()) {
      schema = type[0].get<std::string>();
    } else if (!type.is_null()) {
      return InvalidArgument(where + ".type: expected one type id (Person or Organization)");
    }
  }
  int64_t limit = 5;
  if (query.contains("limit")) {
    if (!query["limit"].is_number_integer() || query["limit"].get<int64_t>() < 1 ||
        query["limit"].get<int64_t>() > 100)
      return InvalidArgument(where + ".limit: an integer from 1 to 100");
    limit = query["limit"].get<int64_t>();
  }
  json properties = {{"name", json::array({query["query"]})}};
  if (query.contains("properties")) {
    if (!query["properties"].is_array())
      return InvalidArgument(where + ".properties: expected a list of {\"pid\", \"v\"}");
    size_t index = 0;
    for (const json& property : query["properties"]) {
      std::string at = where + ".properties[" + std::to_string(index++) + "]";
      if (!property.is_object() || !property.contains("pid") || !property["pid"].is_string() ||
          !property.contains("v"))
        return InvalidArgument(at + ": expected {\"pid\": ..., \"v\": ...}");
      ENTENTE_ASSIGN_OR_RETURN(json values, PropertyValues(property["v"], at + ".v"));
      json& slot = properties[property["pid"].get<std::string>()];
      if (!slot.is_array()) slot = json::array();
      for (const json& value : values) slot.push_back(value);
    }
  }
  return std::make_pair(json{{"schema", schema}, {"properties", properties}}, limit);
}

json Candidate(const VisibleMatch& hit) {
  const Entity& entity = hit.entity;
  json features = json::array();
  for (const MatchFactor& factor : hit.result.factors)
    features.push_back({{"id", factor.factor}, {"value", factor.contribution}});
  std::string description =
      std::string(TlpName(entity.meta.marking.tlp)) + " · " + entity.meta.provenance.service;
  if (!entity.birth_dates.empty()) description += " · " + entity.birth_dates[0].ToString();
  const std::string schema = FtmSchemaOf(entity);
  return {{"id", entity.meta.id},
          {"name", entity.DisplayName()},
          {"type", json::array({{{"id", schema}, {"name", schema}}})},
          {"score", std::round(hit.result.score * 1000) / 10},
          {"match", hit.result.score >= kAutoMatch},
          {"features", features},
          {"description", description}};
}

// The `queries` batch of a request: the query parameter, a form field or a JSON body.
Result<json> BatchOf(const HttpRequest& request) {
  std::string text;
  if (request.HasQuery("queries")) {
    text = request.Query("queries");
  } else if (request.Header("content-type").rfind("application/json", 0) == 0) {
    ENTENTE_ASSIGN_OR_RETURN(json body, ParseJsonObject(request.body));
    if (!body.contains("queries")) return InvalidArgument("field queries: required");
    text =
        body["queries"].is_string() ? body["queries"].get<std::string>() : body["queries"].dump();
  } else {
    ENTENTE_ASSIGN_OR_RETURN(auto form, ParseFormBody(request.body));
    auto it = form.find("queries");
    if (it == form.end()) return InvalidArgument("field queries: required (a form field)");
    text = it->second;
  }
  json batch = json::parse(text, nullptr, false);
  if (batch.is_discarded() || !batch.is_object())
    return InvalidArgument("field queries: expected a JSON object keyed by query id");
  if (batch.empty() || batch.size() > 100)
    return InvalidArgument("field queries: 1 to 100 queries");
  return batch;
}

HttpResponse Reconcile(RequestContext& ctx, MatchService* service) {
  if (std::optional<std::string> extend = ExtendOf(ctx.request)) {
    auto rows = ExtendRows(ctx, *extend);
    if (!rows.ok()) return ErrorFromStatus(rows.status());
    return JsonResponse(200, Dump(*rows));
  }
  if (ctx.request.method == "GET" && !ctx.request.HasQuery("queries"))
    return JsonResponse(200, Dump(Manifest(ctx)));
  auto batch = BatchOf(ctx.request);
  if (!batch.ok()) return ErrorFromStatus(batch.status());
  json answer = json::object();
  int64_t candidates = 0;
  for (const auto& [key, query] : batch->items()) {
    const std::string where = "field queries." + key;
    auto example = ExampleOf(query, where);
    if (!example.ok()) return ErrorFromStatus(example.status());
    auto parsed = QueryFromFtmExample(example->first, where);
    if (!parsed.ok()) return ErrorFromStatus(parsed.status());
    for (MatchQuery& one : parsed->queries) {
      one.threshold = kCutoff;
      one.top = static_cast<int>(example->second);
    }
    auto found = MatchAnyName(ctx, service, parsed->queries, static_cast<size_t>(example->second));
    if (!found.ok()) return ErrorFromStatus(found.status().WithContext("match index"));
    json result = json::array();
    for (const VisibleMatch& hit : found->visible) result.push_back(Candidate(hit));
    json hidden = json::array();
    for (const RecordMeta& meta : found->restricted)
      hidden.push_back(
          {{"owner_service", meta.provenance.service}, {"message", RestrictedMessage(meta)}});
    candidates += static_cast<int64_t>(result.size());
    answer[key] = {{"result", result}, {"entente_restricted", hidden}};
  }
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.AuditAlone(
      "match.reconcile", "", "ok",
      {{"queries", std::to_string(batch->size())}, {"candidates", std::to_string(candidates)}}));
  return JsonResponse(200, Dump(answer));
}

std::string ReconcileOpenApi(bool post) {
  OpenApiOp op{post ? "Reconcile a batch of names (W3C reconciliation API, as OpenRefine sends it)"
                    : "The reconciliation service manifest, or a batch given as ?queries=",
               "match",
               {200, 400, 401, 403, 413, 429, 503},
               {},
               "",
               R"({"type": "object"})"};
  if (!post)
    op.query = {"queries:string:a JSON object of queries keyed by id (optional)",
                "extend:string:a data extension request {\"ids\", \"properties\"} (optional)"};
  if (post) {
    op.body_media_type = "application/x-www-form-urlencoded";
    op.body_schema =
        R"({"type": "object", "properties": {"queries": {"type": "string", "description": "JSON: {\"q0\": {\"query\": \"...\", \"type\": \"Person\", \"limit\": 3, \"properties\": [{\"pid\": \"birthDate\", \"v\": \"1975\"}]}}"}, "extend": {"type": "string", "description": "JSON: {\"ids\": [\"person--...\"], \"properties\": [{\"id\": \"birthDate\"}]}"}}})";
  }
  return op.ToJson();
}

}  // namespace

Status MountReconcileRoutes(Router& router, const BuiltinDeps& deps) {
  ENTENTE_RETURN_IF_ERROR(MountReconcileServiceRoutes(router, deps));
  MatchService* service = deps.match;
  for (const char* method : {"GET", "POST"}) {
    ENTENTE_RETURN_IF_ERROR(router.Add(
        {.method = method,
         .pattern = "/reconcile",
         .permission = Permission::kMatch,
         .auth = kAuthBearer | kAuthBasic,
         .max_body = 512 * 1024,
         .rate_limited = true,
         .openapi = ReconcileOpenApi(std::string(method) == "POST"),
         .handler = [service](RequestContext& ctx) { return Reconcile(ctx, service); }}));
  }
  return Status::Ok();
}

}  // namespace entente::server
