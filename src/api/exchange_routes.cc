// The exchange page's routes (liaison officers): sharing agreements in plain words with what
// they share and hold back, the sync state per partner (cursor, objects received, rejections
// with their reason), and why one record is or is not shared with a partner (`share explain`).
//
// Counts and explanations run over the records the caller may read (ctx.records): a liaison
// learns nothing about a record above their clearance from them.
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "api/agreement_counts.h"
#include "api/builtin_routes.h"
#include "api/exchange_received.h"
#include "api/route_util.h"
#include "exchange/agreement.h"
#include "exchange/exchange_store.h"
#include "http/message_codes.h"

namespace entente::server {
namespace {

using exchange::Agreement;
using exchange::ExchangeStore;
using nlohmann::json;

json ShareJson(const exchange::SharePolicy& share) {
  json categories = json::array();
  if (share.all_categories) categories.push_back("*");
  for (ThreatCategory category : share.categories)
    categories.push_back(std::string(ThreatCategoryName(category)));
  return {{"categories", categories},
          {"types", share.types},
          {"max_tlp", TlpName(share.max_tlp)},
          {"min_reliability", std::string(1, share.min_reliability)},
          {"min_credibility", share.min_credibility},
          {"require_releasable", share.require_releasable},
          {"drop", share.drop},
          {"redact", share.redact}};
}

// The agreement in sentences (English; the UI writes its own from the same fields).
json PlainWords(const Agreement& a) {
  json lines = json::array();
  const exchange::SharePolicy& s = a.share;
  std::string what = s.all_categories ? "records of every category" : "records of the categories ";
  if (!s.all_categories) {
    bool first = true;
    for (ThreatCategory category : s.categories) {
      what += (first ? "" : ", ") + std::string(ThreatCategoryName(category));
      first = false;
    }
  }
  lines.push_back(a.partner.name + " (" + a.partner.service + ") receives " + what +
                  (s.types.empty() ? "" : " (types: " + json(s.types).dump() + ")") +
                  ", marked up to TLP:" + std::string(TlpName(s.max_tlp)) + ".");
  if (s.min_reliability != 'F' || s.min_credibility != 6)
    lines.push_back("Only records graded " + std::string(1, s.min_reliability) +
                    " or better for the source and " + std::to_string(s.min_credibility) +
                    " or better for the information.");
  if (s.require_releasable)
    lines.push_back("Only records whose releasability names " + a.partner.service + ".");
  if (!s.drop.empty()) lines.push_back("Removed before sending: " + json(s.drop).dump() + ".");
  if (!s.redact.empty()) lines.push_back("Masked before sending: " + json(s.redact).dump() + ".");
  lines.push_back(
      "Records from other services are passed on only when their markings allow it, "
      "and never back to the service they came from.");
  lines.push_back(a.may_write ? a.partner.name + " may send records into its inbound collection."
                              : a.partner.name + " may not send records here.");
  return lines;
}

json AgreementJson(const Agreement& a) {
  return {{"partner", a.partner.name}, {"service", a.partner.service}, {"url", a.partner.url},
          {"may_write", a.may_write},  {"share", ShareJson(a.share)},  {"plain", PlainWords(a)}};
}

HttpResponse ListAgreements(RequestContext& ctx) {
  ENTENTE_HTTP_RETURN_IF_ERROR(ExchangeStore::Migrate(ctx.db));
  auto all = ExchangeStore(&ctx.db).ListAgreements();
  ENTENTE_HTTP_RETURN_IF_ERROR(all.status());
  json items = json::array();
  for (const Agreement& a : *all) items.push_back(AgreementJson(a));
  return JsonResponse(200, Dump({{"items", items}}));
}

Result<Agreement> AgreementNamed(RequestContext& ctx, const std::string& partner) {
  ENTENTE_RETURN_IF_ERROR(ExchangeStore::Migrate(ctx.db));
  auto agreement = ExchangeStore(&ctx.db).GetAgreement(partner);
  if (!agreement.ok() && agreement.status().code() == StatusCode::kNotFound)
    return NotFound("field partner: no agreement with '" + partner + "'");
  return agreement;
}

// Whether a relationship's end is shared, as far as the caller may see (a hidden end counts
// as not shared: nothing about it is said).
exchange::EndpointCheck Endpoints(RequestContext& ctx, const Agreement& agreement) {
  return [&ctx, &agreement](const std::string& id) -> Result<bool> {
    auto record = ctx.records.Get(id);
    if (!record.ok()) return false;
    return !MetaOf(*record).revoked &&
           exchange::Evaluate(agreement, ctx.node_service, *record).shared;
  };
}

// One agreement with what it shares and holds back, counted over the readable records (kept
// between requests and brought up to date from the change feed: api/agreement_counts.h).
HttpResponse AgreementDetail(RequestContext& ctx, AgreementCountCache& cache) {
  auto agreement = AgreementNamed(ctx, ctx.request.Param("partner"));
  ENTENTE_HTTP_RETURN_IF_ERROR(agreement.status());
  auto counts = cache.Count(ctx, *agreement);
  ENTENTE_HTTP_RETURN_IF_ERROR(counts.status());
  json by_reason = json::array();
  for (const auto& [reason, count] : counts->held_back_by_reason) {
    json item = {{"reason", reason}, {"count", count}};
    AddCode(item, "reason", reason);
    by_reason.push_back(std::move(item));
  }
  json body = AgreementJson(*agreement);
  body["counts"] = {{"records", counts->records},     {"shared", counts->shared},
                    {"held_back", counts->held_back}, {"held_back_by_reason", by_reason},
                    {"truncated", counts->truncated}, {"as_of_change", counts->as_of_change}};
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.AuditAlone("exchange.agreement.read", agreement->partner.name));
  return JsonResponse(200, Dump(body));
}

HttpResponse SyncStatus(RequestContext& ctx) {
  ENTENTE_HTTP_RETURN_IF_ERROR(ExchangeStore::Migrate(ctx.db));
  ExchangeStore xs(&ctx.db);
  auto all = xs.ListAgreements();
  ENTENTE_HTTP_RETURN_IF_ERROR(all.status());
  auto limit = IntQuery(ctx.request, "rejections", 20, 0, 500);
  if (!limit.ok()) return ErrorFromStatus(limit.status());
  json items = json::array();
  for (const Agreement& a : *all) {
    auto cursor = xs.GetCursor(a.partner.name);
    json state = nullptr;
    if (cursor.ok()) {
      state = {{"added_after", cursor->added_after},
               {"objects_received", cursor->objects},
               {"rejected", cursor->rejected},
               {"updated", cursor->updated}};
    } else if (cursor.status().code() != StatusCode::kNotFound) {
      return ErrorFromStatus(cursor.status());
    }
    auto rows = ctx.db.Query(
        "SELECT object_id, reason, at FROM exchange_rejections WHERE partner = ? "
        "ORDER BY id DESC LIMIT ?",
        {a.partner.name, *limit});
    ENTENTE_HTTP_RETURN_IF_ERROR(rows.status());
    json rejections = json::array();
    for (const SqlRow& row : *rows) {
      if (RefusalNamesHiddenRecord(ctx, row.Text(0))) continue;
      json item = {{"object_id", row.Text(0)}, {"reason", row.Text(1)}, {"at", row.Text(2)}};
      AddCode(item, "reason", row.Text(1));
      rejections.push_back(std::move(item));
    }
    items.push_back({{"partner", a.partner.name},
                     {"service", a.partner.service},
                     {"url", a.partner.url},
                     {"pulls", !a.partner.url.empty()},
                     {"cursor", state},
                     {"recent_rejections", rejections}});
  }
  return JsonResponse(200, Dump({{"items", items}}));
}

HttpResponse Explain(RequestContext& ctx) {
  const std::string id = ctx.request.Query("id");
  const std::string partner = ctx.request.Query("partner");
  if (id.empty()) return ErrorFromStatus(InvalidArgument("field id: required (a record id)"));
  if (partner.empty()) return ErrorFromStatus(InvalidArgument("field partner: required"));
  auto agreement = AgreementNamed(ctx, partner);
  ENTENTE_HTTP_RETURN_IF_ERROR(agreement.status());
  auto record = ctx.records.Get(id);  // a hidden record answers as a missing one
  ENTENTE_HTTP_RETURN_IF_ERROR(record.status());
  json body = {{"id", id}, {"partner", partner}};
  if (MetaOf(*record).revoked) {
    body["shared"] = false;
    body["reasons"] =
        json::array({"the record is revoked (a partner that had it receives the revocation)"});
    body["applied"] = json::array();
  } else {
    exchange::ShareDecision d =
        exchange::Evaluate(*agreement, ctx.node_service, *record, Endpoints(ctx, *agreement));
    body["shared"] = d.shared;
    body["reasons"] = d.reasons;
    body["applied"] = d.applied;
  }
  body["reasons_coded"] = CodesOf(body["reasons"]);
  body["applied_coded"] = CodesOf(body["applied"]);
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.AuditAlone("share.explain", id, "ok", {{"partner", partner}}));
  return JsonResponse(200, Dump(body));
}

RouteSpec Get(std::string pattern, std::string openapi, RouteHandler handler) {
  return {.method = "GET",
          .pattern = std::move(pattern),
          .permission = Permission::kExchange,
          .openapi = std::move(openapi),
          .handler = std::move(handler)};
}

const char* kAgreementSchema =
    R"({"type": "object", "properties": {"partner": {"type": "string"}, "service": {"type": "string"}, "url": {"type": "string"}, "may_write": {"type": "boolean"}, "share": {"type": "object"}, "plain": {"type": "array", "items": {"type": "string"}}, "counts": {"type": "object", "properties": {"records": {"type": "integer"}, "shared": {"type": "integer"}, "held_back": {"type": "integer"}, "held_back_by_reason": {"type": "array", "items": {"type": "object"}}, "truncated": {"type": "boolean"}, "as_of_change": {"type": "integer"}}}}})";

}  // namespace

Status MountExchangeRoutes(Router& router, const BuiltinDeps& deps) {
  auto cache = std::make_shared<AgreementCountCache>();
  ENTENTE_RETURN_IF_ERROR(MountExchangeReceivedRoutes(router));
  ENTENTE_RETURN_IF_ERROR(MountExchangeKeyRoutes(router, deps.config));
  ENTENTE_RETURN_IF_ERROR(MountExchangeCollectionRoutes(router));
  ENTENTE_RETURN_IF_ERROR(router.Add(Get(
      "/api/v1/exchange/agreements",
      OpenApiOp{
          "Sharing agreements in plain words (liaison)",
          "exchange",
          {200, 401, 403},
          {},
          "",
          std::string(R"({"type": "object", "properties": {"items": {"type": "array", "items": )") +
              kAgreementSchema + "}}}"}
          .ToJson(),
      ListAgreements)));
  ENTENTE_RETURN_IF_ERROR(router.Add(Get(
      "/api/v1/exchange/agreements/{partner}",
      OpenApiOp{"One agreement, with what it shares and holds back among the records you may read",
                "exchange",
                {200, 401, 403, 404},
                {},
                "",
                kAgreementSchema}
          .ToJson(),
      [cache](RequestContext& ctx) { return AgreementDetail(ctx, *cache); })));
  ENTENTE_RETURN_IF_ERROR(router.Add(Get(
      "/api/v1/exchange/sync",
      OpenApiOp{
          "Sync state per partner: cursor, objects received, recent rejections (liaison)",
          "exchange",
          {200, 400, 401, 403},
          {"rejections:integer:recent rejections listed per partner, 0 to 500 (default 20)"},
          "",
          R"({"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object"}}}})"}
          .ToJson(),
      SyncStatus)));
  return router.Add(Get(
      "/api/v1/exchange/explain",
      OpenApiOp{
          "Why a record is or is not shared with a partner (share explain)",
          "exchange",
          {200, 400, 401, 403, 404},
          {"id:string:the record id", "partner:string:the partner's name in its agreement"},
          "",
          R"({"type": "object", "properties": {"id": {"type": "string"}, "partner": {"type": "string"}, "shared": {"type": "boolean"}, "reasons": {"type": "array", "items": {"type": "string"}}, "applied": {"type": "array", "items": {"type": "string"}}, "reasons_coded": {"type": "array", "items": {"type": ["object", "null"]}}, "applied_coded": {"type": "array", "items": {"type": ["object", "null"]}}}})"}
          .ToJson(),
      Explain));
}

}  // namespace entente::server
