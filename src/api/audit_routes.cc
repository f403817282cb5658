// The audit trail, for auditors: read it (paginated) and verify the chain. Reading it is
// itself audited.
#include <nlohmann/json.hpp>

#include "api/builtin_routes.h"
#include "api/route_util.h"
#include "audit/audit_log.h"
#include "common/time.h"

namespace entente::server {
namespace {

HttpResponse ReadAudit(RequestContext& ctx) {
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.records.policy().CanReadAuditTrail(ctx.node_service));
  AuditQuery query;
  auto after = DecodeCursor(ctx.request.Query("cursor"));
  if (!after.ok()) return ErrorFromStatus(after.status());
  query.after_seq = *after;
  auto limit = IntQuery(ctx.request, "limit", 100, 1, 1000);
  if (!limit.ok()) return ErrorFromStatus(limit.status());
  query.limit = *limit;
  query.since = ctx.request.Query("since");
  if (!query.since.empty()) {
    int64_t millis = 0;
    if (!ParseTimestamp(query.since, &millis)) {
      return ErrorFromStatus(InvalidArgument("field since: expected an RFC 3339 UTC time"));
    }
  }
  query.actor = ctx.request.Query("actor");
  query.action = ctx.request.Query("action");
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.AuditAlone("audit.read", "", "ok", {}));
  auto entries = AuditLog::Read(ctx.db, query);
  if (!entries.ok()) return ErrorFromStatus(entries.status());
  nlohmann::json items = nlohmann::json::array();
  for (const AuditEntry& entry : *entries) {
    nlohmann::json detail = nlohmann::json::parse(entry.detail_json, nullptr, false);
    items.push_back({{"seq", entry.seq},
                     {"at", entry.at},
                     {"actor", entry.actor},
                     {"role", entry.role},
                     {"service", entry.service},
                     {"action", entry.action},
                     {"target", entry.target},
                     {"outcome", entry.outcome},
                     {"detail", detail},
                     {"prev_hash", entry.prev_hash},
                     {"hash", entry.hash}});
  }
  bool full_page = static_cast<int64_t>(entries->size()) == query.limit;
  nlohmann::json body = {
      {"items", items},
      {"next_cursor",
       full_page ? nlohmann::json(EncodeCursor(entries->back().seq)) : nlohmann::json(nullptr)}};
  return JsonResponse(200, Dump(body));
}

HttpResponse VerifyAudit(RequestContext& ctx) {
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.records.policy().CanReadAuditTrail(ctx.node_service));
  auto report = AuditLog::Verify(ctx.db);
  if (!report.ok()) return ErrorFromStatus(report.status());
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.AuditAlone("audit.verify", "", report->ok ? "ok" : "failed",
                                              {{"entries", std::to_string(report->entries)}}));
  nlohmann::json body = {{"ok", report->ok},
                         {"entries", report->entries},
                         {"head_seq", report->head_seq},
                         {"head_hash", report->head_hash}};
  if (!report->ok) {
    body["first_bad_seq"] = report->first_bad_seq;
    body["problem"] = report->problem;
  }
  return JsonResponse(200, Dump(body));
}

}  // namespace

Status MountAuditRoutes(Router& router, const BuiltinDeps& deps) {
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "GET",
       .pattern = "/api/v1/audit",
       .permission = Permission::kAuditRead,
       .openapi = OpenApiOp{"Read the audit trail, oldest first",
                            "audit",
                            {200, 400, 401, 403},
                            {"cursor:string:next_cursor of the previous page",
                             "limit:integer:page size, 1 to 1000 (default 100)",
                             "since:string:only entries at or after this RFC 3339 time",
                             "actor:string:only this actor", "action:string:only this action"},
                            "",
                            R"({"type": "object"})"}
                      .ToJson(),
       .handler = ReadAudit}));
  return router.Add({.method = "GET",
                     .pattern = "/api/v1/audit/verify",
                     .permission = Permission::kAuditRead,
                     .openapi = OpenApiOp{"Verify the hash chain; names the first bad entry",
                                          "audit",
                                          {200, 401, 403},
                                          {},
                                          "",
                                          R"({"type": "object"})"}
                                    .ToJson(),
                     .handler = VerifyAudit});
}

}  // namespace entente::server
