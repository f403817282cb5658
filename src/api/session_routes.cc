// Browser sign-in: POST /api/v1/session (user name and password -> an HttpOnly session cookie
// and a CSRF token), GET /api/v1/session (who is signed in, for a reloaded page), DELETE
// /api/v1/session (sign out). The cookie then authenticates every bearer-token route; the
// server (server/http_server.cc) asks for the CSRF token on every state-changing request.
#include <nlohmann/json.hpp>

#include "api/builtin_routes.h"
#include "api/route_util.h"
#include "auth/session_store.h"
#include "auth/user_store.h"
#include "http/auth_throttle.h"

namespace entente::server {
namespace {

nlohmann::json SessionJson(const Principal& principal, const std::string& csrf_token,
                           const std::string& expires_at, int idle_timeout_seconds) {
  return {{"user",
           {{"name", principal.user},
            {"role", RoleName(principal.role)},
            {"clearance", TlpName(principal.clearance)},
            {"service", principal.service}}},
          {"csrf_token", csrf_token},
          {"expires_at", expires_at},
          {"idle_timeout_seconds", idle_timeout_seconds}};
}

SessionStore Sessions(RequestContext& ctx, const BuiltinDeps& deps) {
  return SessionStore(
      &ctx.db, *deps.token_key,
      {deps.config->session_idle_timeout_seconds, deps.config->session_lifetime_seconds});
}

HttpResponse SignIn(RequestContext& ctx, const BuiltinDeps& deps, AuthThrottle* throttle) {
  auto body = ParseJsonObject(ctx.request.body);
  if (!body.ok()) return ErrorFromStatus(body.status());
  auto user = StringField(*body, "user", true);
  if (!user.ok()) return ErrorFromStatus(user.status());
  auto password = StringField(*body, "password", true);
  if (!password.ok()) return ErrorFromStatus(password.status());
  int wait = std::max(throttle->RetryAfter("signin:" + *user),
                      throttle->RetryAfter("signin-addr:" + ctx.request.remote_addr));
  if (wait > 0) {
    HttpResponse refused = JsonError(429, "rate_limited", "too many failed sign-ins; retry later");
    refused.headers.emplace_back("Retry-After", std::to_string(wait));
    return refused;
  }
  auto session = Sessions(ctx, deps).SignIn(*user, *password, ctx.request.remote_addr);
  if (!session.ok()) {
    if (session.status().code() != StatusCode::kUnauthenticated) {
      return ErrorFromStatus(session.status());
    }
    throttle->Failure("signin:" + *user);
    throttle->Failure("signin-addr:" + ctx.request.remote_addr);
    // One answer whatever the reason (unknown user, wrong password): the reason is audited.
    return JsonError(401, "unauthenticated", "wrong user name or password");
  }
  throttle->Success("signin:" + *user);
  HttpResponse response = JsonResponse(
      201, Dump(SessionJson(session->principal, session->csrf_token, session->expires_at,
                            deps.config->session_idle_timeout_seconds)));
  response.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) + "=" + session->secret +
                                                  "; Path=/; HttpOnly; Secure; SameSite=Strict");
  return response;
}

HttpResponse CurrentSession(RequestContext& ctx, const BuiltinDeps& deps) {
  std::string secret = SessionCookie(ctx.request.Header("cookie"));
  if (secret.empty()) return JsonError(401, "unauthenticated", "not signed in");
  auto session = Sessions(ctx, deps).Resume(secret);
  if (!session.ok())
    return JsonError(401, "unauthenticated", "not signed in (or the session ended)");
  return JsonResponse(200,
                      Dump(SessionJson(session->principal, session->csrf_token, session->expires_at,
                                       deps.config->session_idle_timeout_seconds)));
}

HttpResponse SignOut(RequestContext& ctx, const BuiltinDeps& deps) {
  std::string secret = SessionCookie(ctx.request.Header("cookie"));
  if (secret.empty()) return JsonError(401, "unauthenticated", "not signed in");
  SessionStore sessions = Sessions(ctx, deps);
  auto session = sessions.Resume(secret);
  if (!session.ok())
    return JsonError(401, "unauthenticated", "not signed in (or the session ended)");
  if (ctx.request.Header("x-csrf-token") != session->csrf_token) {
    return JsonError(403, "permission_denied", "missing or wrong CSRF token");
  }
  ENTENTE_HTTP_RETURN_IF_ERROR(sessions.SignOut(secret));
  HttpResponse response;
  response.status = 204;
  response.content_type = "application/json";
  response.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) +
                                                  "=; Path=/; HttpOnly; Secure; SameSite=Strict; "
                                                  "Max-Age=0");
  return response;
}

nlohmann::json SessionRowJson(const SessionRow& row) {
  return {{"id", row.id},
          {"user", row.user},
          {"created", row.created},
          {"last_seen", row.last_seen},
          {"expires_at", row.expires_at}};
}

// GET /api/v1/sessions: the open sessions of the administrator's own service.
HttpResponse ListSessions(RequestContext& ctx, const BuiltinDeps& deps) {
  auto rows = Sessions(ctx, deps).ListOpen(ctx.principal.service);
  ENTENTE_HTTP_RETURN_IF_ERROR(rows.status());
  nlohmann::json items = nlohmann::json::array();
  for (const SessionRow& row : *rows) items.push_back(SessionRowJson(row));
  return JsonResponse(200, Dump({{"items", items}}));
}

// DELETE /api/v1/sessions/{id}: ending a user's session is acting on that user, so the policy
// decides as for revoking them (auth/policy.h CanManageUser: nobody above the administrator's
// own clearance); a refusal is audited.
HttpResponse RevokeSession(RequestContext& ctx, const BuiltinDeps& deps) {
  const std::string id = ctx.request.Param("id");
  SessionStore sessions = Sessions(ctx, deps);
  auto open = sessions.ListOpen(ctx.principal.service);
  ENTENTE_HTTP_RETURN_IF_ERROR(open.status());
  for (const SessionRow& row : *open) {
    if (row.id != id) continue;
    auto user = UserStore(&ctx.db, *deps.token_key).GetUser(row.user);
    ENTENTE_HTTP_RETURN_IF_ERROR(user.status());
    Status may = ctx.records.policy().CanManageUser(row.user, user->clearance, user->service,
                                                    ctx.node_service);
    if (!may.ok()) {
      ENTENTE_HTTP_RETURN_IF_ERROR(
          ctx.AuditAlone("session.revoke", row.user, "denied", {{"reason", may.message()}}));
      return ErrorFromStatus(may);
    }
  }
  ENTENTE_HTTP_RETURN_IF_ERROR(sessions.Revoke(ctx.Actor(), ctx.principal.service, id));
  return JsonResponse(200, Dump({{"id", id}, {"revoked", true}}));
}

// POST /api/v1/session/password: the signed-in user changes their own password (the current
// one is asked for again); every session of the user ends, this one too.
HttpResponse ChangePassword(RequestContext& ctx, const BuiltinDeps& deps, AuthThrottle* throttle) {
  std::string secret = SessionCookie(ctx.request.Header("cookie"));
  if (secret.empty()) return JsonError(401, "unauthenticated", "not signed in");
  SessionStore sessions = Sessions(ctx, deps);
  auto session = sessions.Resume(secret);
  if (!session.ok())
    return JsonError(401, "unauthenticated", "not signed in (or the session ended)");
  if (ctx.request.Header("x-csrf-token") != session->csrf_token)
    return JsonError(403, "permission_denied", "missing or wrong CSRF token");
  auto body = ParseJsonObject(ctx.request.body);
  if (!body.ok()) return ErrorFromStatus(body.status());
  auto old_password = StringField(*body, "old_password", true);
  if (!old_password.ok()) return ErrorFromStatus(old_password.status());
  auto new_password = StringField(*body, "new_password", true);
  if (!new_password.ok()) return ErrorFromStatus(new_password.status());
  const std::string user = session->principal.user;
  if (int wait = throttle->RetryAfter("password:" + user); wait > 0) {
    HttpResponse refused = JsonError(429, "rate_limited", "too many wrong passwords; retry later");
    refused.headers.emplace_back("Retry-After", std::to_string(wait));
    return refused;
  }
  Status changed = sessions.ChangePassword(user, *old_password, *new_password);
  if (changed.code() == StatusCode::kUnauthenticated) {
    throttle->Failure("password:" + user);
    return JsonError(403, "permission_denied", "wrong current password", "old_password");
  }
  if (changed.code() == StatusCode::kInvalidArgument)
    return JsonError(400, "invalid_argument", changed.message(), "new_password");
  ENTENTE_HTTP_RETURN_IF_ERROR(changed);
  throttle->Success("password:" + user);
  HttpResponse response = JsonResponse(200, Dump({{"changed", true}, {"signed_out", true}}));
  response.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) +
                                                  "=; Path=/; HttpOnly; Secure; SameSite=Strict; "
                                                  "Max-Age=0");
  return response;
}

const char* kSessionListSchema =
    R"({"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "user": {"type": "string"}, "created": {"type": "string"}, "last_seen": {"type": "string"}, "expires_at": {"type": "string"}}}}}})";

// A throttle of failed sign-ins (or password checks) that counts in the store, so that every
// server over one database counts the same failures (http/auth_throttle.h).
std::shared_ptr<AuthThrottle> SharedThrottle(const BuiltinDeps& deps, std::string scope) {
  auto throttle = std::make_shared<AuthThrottle>(5);
  if (deps.pool) throttle->ShareThrough(deps.pool, std::move(scope));
  return throttle;
}

// The administrators' session routes and the password change.
Status MountSessionAdminRoutes(Router& router, const BuiltinDeps& deps) {
  auto throttle = SharedThrottle(deps, "password");
  ENTENTE_RETURN_IF_ERROR(
      router.Add({.method = "GET",
                  .pattern = "/api/v1/sessions",
                  .permission = Permission::kUsersManage,
                  .openapi = OpenApiOp{"Open sessions of the users of your service (admin)",
                                       "users",
                                       {200, 401, 403},
                                       {},
                                       "",
                                       kSessionListSchema}
                                 .ToJson(),
                  .handler = [deps](RequestContext& ctx) { return ListSessions(ctx, deps); }}));
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "DELETE",
       .pattern = "/api/v1/sessions/{id}",
       .permission = Permission::kUsersManage,
       .openapi =
           OpenApiOp{
               "End one open session (admin)",
               "users",
               {200, 400, 401, 403, 404},
               {},
               "",
               R"({"type": "object", "properties": {"id": {"type": "string"}, "revoked": {"type": "boolean"}}})"}
               .ToJson(),
       .handler = [deps](RequestContext& ctx) { return RevokeSession(ctx, deps); }}));
  return router.Add(
      {.method = "POST",
       .pattern = "/api/v1/session/password",
       .permission = Permission::kPublic,
       .auth = kAuthNone,
       .max_body = 4096,
       .openapi =
           OpenApiOp{
               "Change your own password (signed in; ends all your sessions)",
               "session",
               {200, 400, 401, 403, 413, 429},
               {},
               R"({"type": "object", "required": ["old_password", "new_password"], "properties": {"old_password": {"type": "string"}, "new_password": {"type": "string", "minLength": 12}}})",
               R"({"type": "object", "properties": {"changed": {"type": "boolean"}, "signed_out": {"type": "boolean"}}})"}
               .ToJson(),
       .handler = [deps, throttle](RequestContext& ctx) {
         return ChangePassword(ctx, deps, throttle.get());
       }});
}

const char* kSessionSchema =
    R"({"type": "object", "properties": {"user": {"type": "object", "properties": {"name": {"type": "string"}, "role": {"type": "string"}, "clearance": {"type": "string"}, "service": {"type": "string"}}}, "csrf_token": {"type": "string"}, "expires_at": {"type": "string"}, "idle_timeout_seconds": {"type": "integer"}}})";

}  // namespace

Status MountSessionRoutes(Router& router, const BuiltinDeps& deps) {
  ENTENTE_RETURN_IF_ERROR(MountSessionAdminRoutes(router, deps));
  auto throttle = SharedThrottle(deps, "session");
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "POST",
       .pattern = "/api/v1/session",
       .permission = Permission::kPublic,
       .auth = kAuthNone,
       .max_body = 4096,
       .openapi =
           OpenApiOp{
               "Sign in with a user name and password (sets the session cookie)",
               "session",
               {201, 400, 401, 413, 429},
               {},
               R"({"type": "object", "required": ["user", "password"], "properties": {"user": {"type": "string"}, "password": {"type": "string"}}})",
               kSessionSchema}
               .ToJson(),
       .handler = [deps, throttle](RequestContext& ctx) {
         return SignIn(ctx, deps, throttle.get());
       }}));
  ENTENTE_RETURN_IF_ERROR(
      router.Add({.method = "GET",
                  .pattern = "/api/v1/session",
                  .permission = Permission::kPublic,
                  .auth = kAuthNone,
                  .openapi = OpenApiOp{"The signed-in user and the CSRF token",
                                       "session",
                                       {200, 401},
                                       {},
                                       "",
                                       kSessionSchema}
                                 .ToJson(),
                  .handler = [deps](RequestContext& ctx) { return CurrentSession(ctx, deps); }}));
  return router.Add(
      {.method = "DELETE",
       .pattern = "/api/v1/session",
       .permission = Permission::kPublic,
       .auth = kAuthNone,
       .openapi =
           OpenApiOp{"Sign out (revokes the session)", "session", {204, 401, 403}, {}, "", ""}
               .ToJson(),
       .handler = [deps](RequestContext& ctx) { return SignOut(ctx, deps); }});
}

}  // namespace entente::server
