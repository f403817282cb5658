// The asking side of hit/no-hit, for the UI (liaison officers): ask a partner about people
// (plain or private mode, exchange/hitnohit/asking.h), list the follow-up requests this node
// sent and their decisions, and send one for a hit's reference. The partner's node is reached
// with this node's agreement (its url and certificates); every step is audited there.
#include <nlohmann/json.hpp>
#include <optional>

#include "api/builtin_routes.h"
#include "api/hitnohit_routes.h"
#include "api/route_util.h"
#include "exchange/hitnohit/asking.h"
#include "exchange/hitnohit/hitnohit_store.h"
#include "model/country.h"
#include "model/partial_date.h"

namespace entente::server {
namespace {

using nlohmann::json;
namespace hnh = entente::exchange::hitnohit;

constexpr size_t kMaxAsk = 100;

Result<hnh::AskQuery> QueryOf(const json& item, const std::string& where) {
  if (!item.is_object()) return InvalidArgument(where + ": expected an object");
  hnh::AskQuery query;
  if (!item.contains("name") || !item["name"].is_string())
    return InvalidArgument(where + ".name: required, a string");
  query.name = item["name"].get<std::string>();
  if (query.name.empty() || query.name.size() > 300)
    return InvalidArgument(where + ".name: 1 to 300 characters");
  ENTENTE_ASSIGN_OR_RETURN(query.label, StringField(item, "label", false));
  ENTENTE_ASSIGN_OR_RETURN(std::string born, StringField(item, "birth_date", false));
  if (!born.empty()) {
    std::string why;
    query.birth_date = PartialDate::Parse(born, &why);
    if (!query.birth_date) return InvalidArgument(where + ".birth_date: " + why);
  }
  ENTENTE_ASSIGN_OR_RETURN(query.nationality, StringField(item, "nationality", false));
  if (!query.nationality.empty()) {
    query.nationality = NormalizeCountryCode(query.nationality);
    if (!IsValidCountryCode(query.nationality))
      return InvalidArgument(where + ".nationality: not an ISO 3166 alpha-2 code");
  }
  ENTENTE_ASSIGN_OR_RETURN(query.id_number, StringField(item, "id_number", false));
  if (query.id_number.size() > 64)
    return InvalidArgument(where + ".id_number: at most 64 characters");
  return query;
}

struct AskRequest {
  std::string partner;
  hnh::AskOptions options;
  std::vector<hnh::AskQuery> queries;
};

Result<AskRequest> AskRequestOf(const std::string& text) {
  ENTENTE_ASSIGN_OR_RETURN(json body, ParseJsonObject(text));
  AskRequest request;
  ENTENTE_ASSIGN_OR_RETURN(request.partner, StringField(body, "partner", true));
  if (request.partner.empty()) return InvalidArgument("field partner: required");
  ENTENTE_ASSIGN_OR_RETURN(std::string mode, StringField(body, "mode", false));
  if (mode == "plain") {
    request.options.mode = hnh::AskOptions::Mode::kPlain;
  } else if (mode == "private") {
    request.options.mode = hnh::AskOptions::Mode::kPrivate;
  } else if (!mode.empty() && mode != "auto") {
    return InvalidArgument("field mode: plain, private or auto");
  }
  if (!body.contains("queries") || !body["queries"].is_array() || body["queries"].empty() ||
      body["queries"].size() > kMaxAsk)
    return InvalidArgument("field queries: a list of 1 to 100 {name, birth_date, ...}");
  for (size_t i = 0; i < body["queries"].size(); ++i) {
    std::string where = "field queries[" + std::to_string(i) + "]";
    ENTENTE_ASSIGN_OR_RETURN(hnh::AskQuery query, QueryOf(body["queries"][i], where));
    if (query.label.empty()) query.label = std::to_string(i + 1);
    request.queries.push_back(std::move(query));
  }
  return request;
}

HttpResponse Ask(RequestContext& ctx) {
  auto request = AskRequestOf(ctx.request.body);
  if (!request.ok()) return ErrorFromStatus(request.status());
  ENTENTE_HTTP_RETURN_IF_ERROR(hnh::HitNoHitStore::EnsureMigrated(ctx.db));
  auto report = hnh::Ask(ctx.db, request->partner, request->queries, request->options, ctx.Actor());
  if (!report.ok() && report.status().code() == StatusCode::kNotFound)
    return ErrorFromStatus(NotFound("field partner: no agreement with '" + request->partner + "'"));
  ENTENTE_HTTP_RETURN_IF_ERROR(report.status());
  json answers = json::array();
  for (const hnh::AskAnswer& a : report->answers) {
    answers.push_back({{"label", a.label},
                       {"result", a.result},
                       {"reference", a.reference},
                       {"band", a.band},
                       {"expires", a.expires},
                       {"error", a.error}});
  }
  return JsonResponse(
      200, Dump({{"partner", request->partner}, {"mode", report->mode}, {"answers", answers}}));
}

HttpResponse ListOutgoing(RequestContext& ctx) {
  ENTENTE_HTTP_RETURN_IF_ERROR(hnh::HitNoHitStore::EnsureMigrated(ctx.db));
  std::optional<hnh::FollowupStatus> status;
  if (ctx.request.HasQuery("status")) {
    status = hnh::ParseFollowupStatus(ctx.request.Query("status"));
    if (!status)
      return ErrorFromStatus(InvalidArgument("field status: pending, approved or refused"));
  }
  auto rows = hnh::HitNoHitStore(&ctx.db).ListOutgoing(status, ctx.request.Query("partner"));
  ENTENTE_HTTP_RETURN_IF_ERROR(rows.status());
  json list = json::array();
  for (const hnh::FollowupRow& row : *rows) list.push_back(hnh::FollowupJson(row));
  return JsonResponse(200, Dump({{"followups", list}}));
}

HttpResponse SendFollowup(RequestContext& ctx) {
  auto body = ParseJsonObject(ctx.request.body);
  if (!body.ok()) return ErrorFromStatus(body.status());
  std::string fields[3];
  const char* names[3] = {"partner", "reference", "reason"};
  for (int i = 0; i < 3; ++i) {
    auto value = StringField(*body, names[i], true);
    if (!value.ok()) return ErrorFromStatus(value.status());
    if (value->empty() || value->size() > 2000)
      return ErrorFromStatus(
          InvalidArgument(std::string("field ") + names[i] + ": 1 to 2,000 characters required"));
    fields[i] = *value;
  }
  ENTENTE_HTTP_RETURN_IF_ERROR(hnh::HitNoHitStore::EnsureMigrated(ctx.db));
  auto row = hnh::RequestFollowup(ctx.db, fields[0], fields[1], fields[2], ctx.Actor());
  ENTENTE_HTTP_RETURN_IF_ERROR(row.status());
  return JsonResponse(201, Dump(hnh::FollowupJson(*row)));
}

const char* kAskBody =
    R"({"type": "object", "required": ["partner", "queries"], "properties": {"partner": {"type": "string"}, "mode": {"type": "string", "enum": ["plain", "private", "auto"]}, "queries": {"type": "array", "minItems": 1, "maxItems": 100, "items": {"type": "object", "required": ["name"], "properties": {"label": {"type": "string"}, "name": {"type": "string"}, "birth_date": {"type": "string"}, "nationality": {"type": "string"}, "id_number": {"type": "string"}}}}}})";
const char* kAskAnswer =
    R"({"type": "object", "properties": {"partner": {"type": "string"}, "mode": {"type": "string"}, "answers": {"type": "array", "items": {"type": "object", "properties": {"label": {"type": "string"}, "result": {"type": "string", "enum": ["hit", "no-hit", "invalid", "not-sent"]}, "reference": {"type": "string"}, "band": {"type": "string"}, "expires": {"type": "string"}, "error": {"type": "string"}}}}}})";
const char* kOutgoingRow =
    R"({"type": "object", "properties": {"id": {"type": "string"}, "partner": {"type": "string"}, "reference": {"type": "string"}, "record": {"type": "string"}, "reason": {"type": "string"}, "requested_by": {"type": "string"}, "status": {"type": "string"}, "decision_reason": {"type": "string"}, "created": {"type": "string"}, "decided": {"type": "string"}}})";

}  // namespace

Status MountHitNoHitAskRoutes(Router& router, const BuiltinDeps&) {
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "POST",
       .pattern = "/api/v1/hitnohit/ask",
       .permission = Permission::kExchange,
       .max_body = 64 * 1024,
       .rate_limited = true,
       .openapi = OpenApiOp{"Ask a partner whether it knows these people (hit/no-hit, step one)",
                            "hitnohit",
                            {200, 400, 401, 403, 404, 413, 429, 503},
                            {},
                            kAskBody,
                            kAskAnswer}
                      .ToJson(),
       .handler = Ask}));
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "GET",
       .pattern = "/api/v1/hitnohit/outgoing",
       .permission = Permission::kExchange,
       .openapi =
           OpenApiOp{
               "Follow-up requests this node sent, with the partners' decisions",
               "hitnohit",
               {200, 400, 401, 403},
               {"status:string:pending, approved or refused", "partner:string:only this partner's"},
               "",
               std::string(
                   R"({"type": "object", "properties": {"followups": {"type": "array", "items": )") +
                   kOutgoingRow + "}}}"}
               .ToJson(),
       .handler = ListOutgoing}));
  return router.Add(
      {.method = "POST",
       .pattern = "/api/v1/hitnohit/outgoing",
       .permission = Permission::kExchange,
       .max_body = 16 * 1024,
       .openapi =
           OpenApiOp{
               "Ask a partner for the details behind a hit (follow-up request, step two)",
               "hitnohit",
               {201, 400, 401, 403, 404, 413, 503},
               {},
               R"({"type": "object", "required": ["partner", "reference", "reason"], "properties": {"partner": {"type": "string"}, "reference": {"type": "string"}, "reason": {"type": "string"}}})",
               kOutgoingRow}
               .ToJson(),
       .handler = SendFollowup});
}

}  // namespace entente::server
