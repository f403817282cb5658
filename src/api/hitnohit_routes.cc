#include "api/hitnohit_routes.h"

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "api/match_service.h"
#include "common/ids.h"
#include "common/time.h"
#include "exchange/exchange_store.h"
#include "exchange/hitnohit/answer_engine.h"
#include "exchange/hitnohit/engine_follower.h"
#include "exchange/hitnohit/followup.h"
#include "exchange/hitnohit/hitnohit_store.h"
#include "exchange/hitnohit/protocol.h"
#include "exchange/hitnohit/settings.h"
#include "http/node_database.h"

namespace entente::exchange::hitnohit {
namespace {

using nlohmann::json;
using server::HttpResponse;
using server::JsonError;
using server::JsonResponse;
using server::Permission;
using server::RequestContext;
using server::RouteSpec;

int64_t NowSeconds() { return NowMillis() / 1000; }

// The caller's agreement and hit/no-hit settings, or the HTTP error to answer.
struct Caller {
  Agreement agreement;
  HitNoHitSettings settings;
};

Result<Caller> LoadCaller(RequestContext& ctx) {
  ENTENTE_RETURN_IF_ERROR(HitNoHitStore::EnsureMigrated(ctx.db));
  ExchangeStore xs(&ctx.db);
  auto agreement =
      xs.AgreementForPrincipal(ctx.principal.user, ctx.principal.partner, ctx.principal.service);
  if (!agreement.ok()) {
    if (agreement.status().code() == StatusCode::kNotFound)
      return PermissionDenied("no sharing agreement covers " + ctx.principal.user);
    return agreement.status();
  }
  HitNoHitStore hs(&ctx.db);
  ENTENTE_ASSIGN_OR_RETURN(HitNoHitSettings settings, hs.LoadSettings(*agreement));
  if (!settings.enabled)
    return PermissionDenied("hit/no-hit queries are not enabled for " + agreement->partner.name);
  return Caller{std::move(*agreement), std::move(settings)};
}

// The privacy keys of a shared secret. Deriving them costs about 1,400 keyed hashes (the
// bigram table), so they are derived once per secret per process and kept, keyed by a digest
// of the secret (a changed secret in the agreement derives new keys at its first query).
Result<std::shared_ptr<const PrivacyKeys>> KeysFor(const std::string& secret) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const PrivacyKeys>> cache;
  const std::string digest = Blake2bHex(secret);
  {
    std::lock_guard lock(mutex);
    auto it = cache.find(digest);
    if (it != cache.end()) return it->second;
  }
  ENTENTE_ASSIGN_OR_RETURN(PrivacyKeys derived, PrivacyKeys::Derive(secret));
  auto keys = std::make_shared<const PrivacyKeys>(std::move(derived));
  std::lock_guard lock(mutex);
  if (cache.size() >= 64) cache.clear();  // secrets rotated many times: start afresh
  cache.emplace(digest, keys);
  return keys;
}

HttpResponse Denied(RequestContext& ctx, const std::string& action, const Status& status) {
  (void)ctx.AuditAlone(action, ctx.principal.user, "denied", {{"reason", status.message()}});
  return server::ErrorFromStatus(status);
}

// The background followers of the engines these routes answer from, one per database. They are
// owned by the query route's handler, so they stop when the server's router goes.
class Followers {
 public:
  // The follower of `engine` (started on first use); null when the server did not say where its
  // store is (an in-process router without NodeDatabase).
  EngineFollower* For(const std::string& node_id, const std::shared_ptr<AnswerEngine>& engine,
                      const RequestContext& ctx) {
    std::lock_guard lock(mutex_);
    std::unique_ptr<EngineFollower>& follower = followers_[node_id];
    if (!follower) {
      const auto* where = ctx.services.Get<server::NodeDatabase>();
      if (where == nullptr) return nullptr;
      const auto* match = ctx.services.Get<server::MatchService>();
      const std::chrono::milliseconds poll(match != nullptr ? match->refresh_ms() : 2000);
      follower = std::make_unique<EngineFollower>(
          engine, where->target, poll, [](const std::string& line) { spdlog::warn("{}", line); });
      follower->Start();
    }
    return follower.get();
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<EngineFollower>> followers_;
};

HttpResponse HandleQuery(RequestContext& ctx, Followers& followers) {
  auto caller = LoadCaller(ctx);
  if (!caller.ok()) return Denied(ctx, "hitnohit.query", caller.status());
  const HitNoHitSettings& settings = caller->settings;
  const std::string& partner = caller->agreement.partner.name;

  auto parsed = ParseRequest(ctx.request.body, static_cast<size_t>(settings.max_batch));
  if (!parsed.ok()) return Denied(ctx, "hitnohit.query", parsed.status());
  std::shared_ptr<const PrivacyKeys> keys;
  if (parsed->private_mode) {
    if (settings.privacy == PrivacyMode::kOff)
      return Denied(ctx, "hitnohit.query",
                    PermissionDenied("privacy-preserving queries are not set up with " + partner));
    auto secret = LoadSecret(settings);
    if (!secret.ok()) {
      (void)ctx.AuditAlone("hitnohit.query", partner, "failed", {{"reason", "no shared secret"}});
      return JsonError(503, "unavailable",
                       "privacy-preserving mode is not configured on this node for " + partner);
    }
    auto derived = KeysFor(*secret);
    if (!derived.ok()) return Denied(ctx, "hitnohit.query", derived.status());
    if ((*derived)->key_id() != parsed->key_id)
      return Denied(ctx, "hitnohit.query",
                    InvalidArgument("field key_id: does not match the secret of the agreement "
                                    "with " +
                                    partner + " on this node"));
    keys = std::move(*derived);
  } else if (settings.privacy == PrivacyMode::kRequired) {
    return Denied(
        ctx, "hitnohit.query",
        PermissionDenied("the agreement with " + partner + " requires privacy-preserving queries"));
  }

  HitNoHitStore hs(&ctx.db);
  const int64_t now = NowSeconds();
  Status quota;
  {
    Transaction tx(&ctx.db);
    ENTENTE_HTTP_RETURN_IF_ERROR(tx.status());
    quota = hs.ConsumeQuota(partner, settings, static_cast<int64_t>(parsed->size()), now);
    if (quota.ok()) quota = tx.Commit();
    // Otherwise the transaction rolls back here: nothing is counted.
  }
  if (!quota.ok()) {
    if (quota.code() != StatusCode::kResourceExhausted) return server::ErrorFromStatus(quota);
    HttpResponse response = Denied(ctx, "hitnohit.query", quota);
    response.headers.push_back({"Retry-After", quota.message().rfind("rate", 0) == 0
                                                   ? std::to_string(60 - now % 60)
                                                   : std::to_string(86400 - now % 86400)});
    return response;
  }

  auto node_id = hs.NodeId();
  ENTENTE_HTTP_RETURN_IF_ERROR(node_id.status());
  std::shared_ptr<AnswerEngine> engine = AnswerEngine::ForNode(*node_id);
  // Kept current by change notifications (PostgreSQL): answer from it. Otherwise (SQLite, the
  // first query, notifications lost) catch up first, so a write on this node is answered at once.
  EngineFollower* follower = followers.For(*node_id, engine, ctx);
  if (follower == nullptr || !follower->keeps_current())
    ENTENTE_HTTP_RETURN_IF_ERROR(engine->Refresh(ctx.records.CacheFeed()));
  SearchScope scope =
      SearchScope::From(settings, ctx.node_service, caller->agreement.partner.service);
  const double threshold = keys ? settings.privacy_threshold : settings.threshold;
  std::vector<QueryAnswer> answers =
      keys ? engine->AnswerPrivate(*keys, parsed->encoded, scope, threshold)
           : engine->AnswerPlain(parsed->plain, scope, threshold);

  const std::string mode = keys ? "private" : "plain";
  const std::string expires = FormatTimestamp((now + settings.reference_ttl_seconds) * 1000);
  std::vector<WireAnswer> wire;
  wire.reserve(answers.size());
  int64_t hits = 0;
  Transaction tx(&ctx.db);
  ENTENTE_HTTP_RETURN_IF_ERROR(tx.status());
  for (size_t answer_idx = 0; answer_idx < answers.size(); ++answer_idx) {
    const QueryAnswer& a = answers[answer_idx];
    WireAnswer w;
    w.id = a.id;
    server::AuditDetail detail = {{"partner", partner}, {"mode", mode}, {"query", a.id}};
    if (!keys) {
      const MatchQuery& q = parsed->plain[answer_idx].second;
      detail.emplace_back("name", q.name);
      if (q.birth_date) detail.emplace_back("birth_date", q.birth_date->ToString());
      if (!q.nationality.empty()) detail.emplace_back("nationality", q.nationality);
      if (!q.id_number.empty()) detail.emplace_back("id_number", q.id_number);
    }
    if (!a.error.empty()) {
      w.result = "invalid";
      w.error = a.error;
    } else if (a.hit) {
      ++hits;
      w.result = "hit";
      w.reference = "hnh-" + RandomHex(16);
      w.band = BandFor(a.score, threshold);
      w.expires = expires;
      ReferenceRow ref{w.reference,
                       partner,
                       a.entity_id,
                       w.band,
                       mode,
                       FormatTimestamp(now * 1000),
                       now + settings.reference_ttl_seconds};
      ENTENTE_HTTP_RETURN_IF_ERROR(hs.PutReference(ref));
      detail.emplace_back("record", a.entity_id);
      detail.emplace_back("band", w.band);
    } else {
      w.result = "no-hit";
    }
    ENTENTE_HTTP_RETURN_IF_ERROR(ctx.Audit("hitnohit.answer", w.reference, w.result, detail));
    wire.push_back(std::move(w));
  }
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.Audit("hitnohit.query", partner, "ok",
                                         {{"mode", mode},
                                          {"queries", std::to_string(answers.size())},
                                          {"hits", std::to_string(hits)}}));
  // References long past their expiry are of no further use (kept 30 days to answer "expired").
  ENTENTE_HTTP_RETURN_IF_ERROR(hs.PurgeExpired(now - 30 * 86400).status());
  ENTENTE_HTTP_RETURN_IF_ERROR(tx.Commit());
  return JsonResponse(200, BuildResponse(keys != nullptr, wire));
}

HttpResponse HandleFollowupCreate(RequestContext& ctx) {
  auto caller = LoadCaller(ctx);
  if (!caller.ok()) return Denied(ctx, "hitnohit.followup.request", caller.status());
  const std::string& partner = caller->agreement.partner.name;
  auto body = ParseFollowupRequest(ctx.request.body);
  if (!body.ok()) return Denied(ctx, "hitnohit.followup.request", body.status());
  HitNoHitStore hs(&ctx.db);
  auto ref = hs.GetReference(body->reference, partner);
  if (!ref.ok()) {
    if (ref.status().code() != StatusCode::kNotFound) return server::ErrorFromStatus(ref.status());
    return Denied(ctx, "hitnohit.followup.request", ref.status());
  }
  const int64_t now = NowSeconds();
  if (ref->expires_at < now) {
    (void)ctx.AuditAlone("hitnohit.followup.request", body->reference, "denied",
                         {{"partner", partner}, {"reason", "reference expired"}});
    return JsonError(410, "expired",
                     "reference " + body->reference + " expired at " +
                         FormatTimestamp(ref->expires_at * 1000) + "; ask again",
                     "reference");
  }
  FollowupRow row;
  row.id = "fu-" + RandomHex(12);
  row.partner = partner;
  row.reference = body->reference;
  row.entity_id = ref->entity_id;
  row.reason = body->reason;
  row.requested_by = body->requested_by;
  row.created = NowTimestamp();
  Transaction tx(&ctx.db);
  ENTENTE_HTTP_RETURN_IF_ERROR(tx.status());
  ENTENTE_HTTP_RETURN_IF_ERROR(hs.PutFollowup(row));
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.Audit("hitnohit.followup.request", row.id, "ok",
                                         {{"partner", partner},
                                          {"reference", row.reference},
                                          {"record", row.entity_id},
                                          {"reason", row.reason},
                                          {"requested_by", row.requested_by}}));
  ENTENTE_HTTP_RETURN_IF_ERROR(tx.Commit());
  return JsonResponse(201, json({{"id", row.id}, {"status", "pending"}}).dump());
}

HttpResponse HandleFollowupGet(RequestContext& ctx) {
  auto caller = LoadCaller(ctx);
  if (!caller.ok()) return Denied(ctx, "hitnohit.release.fetch", caller.status());
  HitNoHitStore hs(&ctx.db);
  auto row = hs.GetFollowup(ctx.request.Param("id"));
  // Another partner's request answers exactly like a missing one.
  if (!row.ok() || row->partner != caller->agreement.partner.name)
    return JsonError(404, "not_found", "no follow-up request " + ctx.request.Param("id"));
  json body = {{"id", row->id},
               {"reference", row->reference},
               {"status", FollowupStatusName(row->status)},
               {"reason", row->decision_reason},
               {"decided", row->decided}};
  if (row->status == FollowupStatus::kApproved) {
    body["objects"] = json::parse(row->objects_json, nullptr, false);
    ENTENTE_HTTP_RETURN_IF_ERROR(
        ctx.AuditAlone("hitnohit.release.fetch", row->id, "ok",
                       {{"partner", row->partner}, {"record", row->entity_id}}));
  }
  return JsonResponse(200, body.dump());
}

HttpResponse HandleLiaisonList(RequestContext& ctx) {
  ENTENTE_HTTP_RETURN_IF_ERROR(HitNoHitStore::EnsureMigrated(ctx.db));
  std::optional<FollowupStatus> status;
  if (ctx.request.HasQuery("status")) {
    status = ParseFollowupStatus(ctx.request.Query("status"));
    if (!status)
      return JsonError(400, "invalid_argument", "status: expected pending, approved or refused",
                       "status");
  }
  HitNoHitStore hs(&ctx.db);
  auto rows = hs.ListFollowups(status, ctx.request.Query("partner"));
  ENTENTE_HTTP_RETURN_IF_ERROR(rows.status());
  json list = json::array();
  for (const FollowupRow& row : *rows) {
    // A request about a record this liaison may not read is another liaison's to decide; it
    // is not shown (its record id, reference and reason would tell what the record is).
    if (!ctx.records.Get(row.entity_id).ok()) continue;
    list.push_back(FollowupJson(row));
  }
  return JsonResponse(200, json({{"followups", list}}).dump());
}

HttpResponse HandleLiaisonDecision(RequestContext& ctx) {
  json body = json::parse(ctx.request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("decision") ||
      !body["decision"].is_string() ||
      (body["decision"] != "approve" && body["decision"] != "refuse"))
    return JsonError(400, "invalid_argument", "decision: expected \"approve\" or \"refuse\"",
                     "decision");
  if (!body.contains("reason") || !body["reason"].is_string())
    return JsonError(400, "invalid_argument", "reason: required", "reason");
  // Only a liaison who may read the record decides on releasing it; another answers as for a
  // request that does not exist.
  ENTENTE_HTTP_RETURN_IF_ERROR(HitNoHitStore::EnsureMigrated(ctx.db));
  auto row = HitNoHitStore(&ctx.db).GetFollowup(ctx.request.Param("id"));
  if (!row.ok() && row.status().code() != StatusCode::kNotFound)
    return server::ErrorFromStatus(row.status());
  if (!row.ok() || !ctx.records.Get(row->entity_id).ok())
    return JsonError(404, "not_found", "no follow-up request " + ctx.request.Param("id"));
  auto decided = DecideFollowupRequest(ctx.db, ctx.node_service, ctx.request.Param("id"),
                                       body["decision"] == "approve",
                                       body["reason"].get<std::string>(), ctx.Actor());
  ENTENTE_HTTP_RETURN_IF_ERROR(decided.status());
  return JsonResponse(200, FollowupJson(*decided).dump());
}

std::string OpenApi(const std::string& summary,
                    const std::vector<std::pair<int, std::string>>& codes) {
  json responses = json::object();
  for (const auto& [code, description] : codes)
    responses[std::to_string(code)] = {{"description", description}};
  return json({{"summary", summary}, {"tags", json::array({"hitnohit"})}, {"responses", responses}})
      .dump();
}

bool HasRoute(const server::Router& router, const std::string& method, const std::string& pattern) {
  for (const RouteSpec& spec : router.routes())
    if (spec.method == method && spec.pattern == pattern) return true;
  return false;
}

}  // namespace

json FollowupJson(const FollowupRow& row) {
  return {{"id", row.id},
          {"partner", row.partner},
          {"reference", row.reference},
          {"record", row.entity_id},
          {"reason", row.reason},
          {"requested_by", row.requested_by},
          {"status", FollowupStatusName(row.status)},
          {"decided_by", row.decided_by},
          {"decision_reason", row.decision_reason},
          {"created", row.created},
          {"decided", row.decided}};
}

Status MountHitNoHitRoutes(server::Router& router) {
  auto followers = std::make_shared<Followers>();
  std::vector<RouteSpec> specs;
  specs.push_back({.method = "POST",
                   .pattern = kHitNoHitPath,
                   .permission = Permission::kPartnerAccess,
                   .auth = server::kAuthClientCert,
                   .max_body = kMaxRequestBytes,
                   .openapi = OpenApi("Hit/no-hit queries from a partner (step one)",
                                      {{200, "one answer per query"},
                                       {400, "malformed request"},
                                       {401, "no partner certificate"},
                                       {403, "no agreement, disabled or wrong mode"},
                                       {429, "quota or rate limit"},
                                       {503, "privacy mode not configured"}}),
                   .handler = [followers](RequestContext& ctx) {
                     return HandleQuery(ctx, *followers);
                   }});
  specs.push_back({.method = "POST",
                   .pattern = kFollowupsPath,
                   .permission = Permission::kPartnerAccess,
                   .auth = server::kAuthClientCert,
                   .max_body = 16 * 1024,
                   .openapi = OpenApi("Follow-up request for the details behind a hit (step two)",
                                      {{201, "request created, pending a liaison's decision"},
                                       {400, "malformed request"},
                                       {401, "no partner certificate"},
                                       {403, "no agreement"},
                                       {404, "unknown reference"},
                                       {410, "reference expired"}}),
                   .handler = HandleFollowupCreate});
  specs.push_back({.method = "GET",
                   .pattern = std::string(kFollowupsPath) + "/{id}",
                   .permission = Permission::kPartnerAccess,
                   .auth = server::kAuthClientCert,
                   .openapi = OpenApi("A follow-up request's decision and released objects",
                                      {{200, "status, reason, objects once approved"},
                                       {401, "no partner certificate"},
                                       {403, "no agreement"},
                                       {404, "no such request for this partner"}}),
                   .handler = HandleFollowupGet});
  specs.push_back(
      {.method = "GET",
       .pattern = "/api/v1/hitnohit/followups",
       .permission = Permission::kExchange,
       .auth = server::kAuthBearer,
       .openapi = OpenApi("Partners' follow-up requests (liaison)", {{200, "the requests"},
                                                                     {400, "bad status"},
                                                                     {401, "no credentials"},
                                                                     {403, "not a liaison"}}),
       .handler = HandleLiaisonList});
  specs.push_back({.method = "POST",
                   .pattern = "/api/v1/hitnohit/followups/{id}/decision",
                   .permission = Permission::kExchange,
                   .auth = server::kAuthBearer,
                   .max_body = 16 * 1024,
                   .openapi = OpenApi("Approve or refuse a follow-up request (liaison)",
                                      {{200, "decided"},
                                       {400, "bad decision or no reason"},
                                       {401, "no credentials"},
                                       {403, "not a liaison, or the agreement forbids the release"},
                                       {404, "no such request"},
                                       {409, "already decided"}}),
                   .handler = HandleLiaisonDecision});
  for (RouteSpec& spec : specs) {
    if (HasRoute(router, spec.method, spec.pattern)) continue;
    ENTENTE_RETURN_IF_ERROR(router.Add(std::move(spec)));
  }
  return Status::Ok();
}

}  // namespace entente::exchange::hitnohit
