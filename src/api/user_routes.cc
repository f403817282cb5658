// Users and tokens (admin). A token appears once, in the answer that made it.
#include <nlohmann/json.hpp>

#include "api/builtin_routes.h"
#include "api/route_util.h"
#include "auth/user_store.h"

namespace entente::server {
namespace {

nlohmann::json UserJson(const UserInfo& user) {
  return {
      {"name", user.name},
      {"role", RoleName(user.role)},
      {"clearance", TlpName(user.clearance)},
      {"service", user.service},
      {"created", user.created},
      {"revoked", user.revoked.empty() ? nlohmann::json(nullptr) : nlohmann::json(user.revoked)},
      {"active_tokens", user.active_tokens}};
}

nlohmann::json TokenJson(const NewToken& made) {
  return {{"token", made.token},
          {"token_id", made.info.token_id},
          {"user", made.info.user},
          {"expires", made.info.expires.empty() ? nlohmann::json(nullptr)
                                                : nlohmann::json(made.info.expires)}};
}

// `decision` as is; a refusal is audited first (outcome "denied").
Status AuditedRefusal(RequestContext& ctx, std::string_view action, const std::string& target,
                      Status decision) {
  if (decision.ok()) return decision;
  ENTENTE_RETURN_IF_ERROR(
      ctx.AuditAlone(action, target, "denied", {{"reason", decision.message()}}));
  return decision;
}

HttpResponse AddUser(RequestContext& ctx, const TokenKey& key) {
  auto body = ParseJsonObject(ctx.request.body);
  if (!body.ok()) return ErrorFromStatus(body.status());
  NewUser user;
  auto name = StringField(*body, "name", true);
  if (!name.ok()) return ErrorFromStatus(name.status());
  user.name = *name;
  auto role_text = StringField(*body, "role", true);
  if (!role_text.ok()) return ErrorFromStatus(role_text.status());
  auto role = ParseRole(*role_text);
  if (!role) return ErrorFromStatus(InvalidArgument("field role: unknown role"));
  user.role = *role;
  auto clearance_text = StringField(*body, "clearance", false);
  if (!clearance_text.ok()) return ErrorFromStatus(clearance_text.status());
  if (!clearance_text->empty()) {
    auto clearance = ParseTlp(*clearance_text);
    if (!clearance) return ErrorFromStatus(InvalidArgument("field clearance: not a TLP level"));
    user.clearance = *clearance;
  }
  auto service = StringField(*body, "service", false);
  if (!service.ok()) return ErrorFromStatus(service.status());
  user.service = service->empty() ? ctx.node_service : *service;
  auto expires = StringField(*body, "expires", false);
  if (!expires.ok()) return ErrorFromStatus(expires.status());
  user.expires = *expires;
  ENTENTE_HTTP_RETURN_IF_ERROR(
      AuditedRefusal(ctx, "user.create", user.name,
                     ctx.records.policy().CanGrant(user.role, user.clearance, user.service)));
  UserStore users(&ctx.db, key);
  auto made = users.AddUser(ctx.Actor(), user);
  if (!made.ok()) return ErrorFromStatus(made.status());
  return JsonResponse(201, Dump(TokenJson(*made)));
}

HttpResponse ListUsers(RequestContext& ctx, const TokenKey& key) {
  UserStore users(&ctx.db, key);
  auto list = users.ListUsers();
  if (!list.ok()) return ErrorFromStatus(list.status());
  nlohmann::json items = nlohmann::json::array();
  for (const UserInfo& user : *list) {
    // Users of another service stay out of sight of a foreign administrator; every user this
    // administrator may see is listed, those above their clearance too (to know whom to ask).
    if (ctx.records.policy()
            .CanManageUser(user.name, user.clearance, user.service, ctx.node_service)
            .code() == StatusCode::kNotFound)
      continue;
    items.push_back(UserJson(user));
  }
  return JsonResponse(200, Dump({{"items", items}}));
}

// Whether the caller may act on user `name` (auth/policy.h): a refusal is audited as `action`;
// a user the caller may not see answers exactly as a missing one.
Status MayManage(RequestContext& ctx, UserStore& users, std::string_view action,
                 const std::string& name) {
  auto target = users.GetUser(name);
  if (!target.ok()) return target.status();
  return AuditedRefusal(ctx, action, name,
                        ctx.records.policy().CanManageUser(name, target->clearance, target->service,
                                                           ctx.node_service));
}

nlohmann::json TokenRequestJson(const TokenRequest& request) {
  auto or_null = [](const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
  };
  return {{"id", request.id},
          {"user", request.user},
          {"requested_by", request.requested_by},
          {"created", request.created},
          {"expires", or_null(request.expires)},
          {"state", request.state},
          {"decided_by", or_null(request.decided_by)}};
}

// Your own token at once; another user's is asked for and waits for a second administrator.
HttpResponse IssueToken(RequestContext& ctx, const TokenKey& key) {
  std::string expires;
  if (!ctx.request.body.empty()) {
    auto body = ParseJsonObject(ctx.request.body);
    if (!body.ok()) return ErrorFromStatus(body.status());
    auto field = StringField(*body, "expires", false);
    if (!field.ok()) return ErrorFromStatus(field.status());
    expires = *field;
  }
  const std::string& name = ctx.request.Param("name");
  UserStore users(&ctx.db, key);
  if (ctx.records.policy().CanMintTokenFor(name).ok()) {
    auto made = users.IssueToken(ctx.Actor(), name, expires);
    if (!made.ok()) return ErrorFromStatus(made.status());
    return JsonResponse(201, Dump(TokenJson(*made)));
  }
  ENTENTE_HTTP_RETURN_IF_ERROR(MayManage(ctx, users, "token.request", name));
  auto request = users.RequestToken(ctx.Actor(), name, expires);
  if (!request.ok()) return ErrorFromStatus(request.status());
  nlohmann::json answer = TokenRequestJson(*request);
  answer["message"] =
      "a second administrator must approve this token (four eyes): POST "
      "/api/v1/token-requests/" +
      request->id + "/approve";
  return JsonResponse(202, Dump(answer));
}

// The request `id` if the caller may act on its user; one answer for hidden and missing.
Result<TokenRequest> RequestWithinReach(RequestContext& ctx, UserStore& users,
                                        std::string_view action, const std::string& id) {
  auto request = users.GetTokenRequest(id);
  if (!request.ok()) return request.status();
  Status may = MayManage(ctx, users, action, request->user);
  if (may.code() == StatusCode::kNotFound) return NotFound("token request " + id + " not found");
  if (!may.ok()) return may;
  return request;
}

HttpResponse ListTokenRequests(RequestContext& ctx, const TokenKey& key) {
  UserStore users(&ctx.db, key);
  auto pending = users.PendingTokenRequests();
  if (!pending.ok()) return ErrorFromStatus(pending.status());
  nlohmann::json items = nlohmann::json::array();
  for (const TokenRequest& request : *pending) {
    auto target = users.GetUser(request.user);
    if (!target.ok()) continue;
    if (!ctx.records.policy()
             .CanManageUser(request.user, target->clearance, target->service, ctx.node_service)
             .ok())
      continue;
    items.push_back(TokenRequestJson(request));
  }
  return JsonResponse(200, Dump({{"items", items}}));
}

HttpResponse ApproveTokenRequest(RequestContext& ctx, const TokenKey& key) {
  UserStore users(&ctx.db, key);
  const std::string& id = ctx.request.Param("id");
  auto request = RequestWithinReach(ctx, users, "token.approve", id);
  if (!request.ok()) return ErrorFromStatus(request.status());
  ENTENTE_HTTP_RETURN_IF_ERROR(
      AuditedRefusal(ctx, "token.approve", request->user,
                     ctx.records.policy().CanApproveTokenRequest(request->requested_by)));
  auto made = users.ApproveTokenRequest(ctx.Actor(), id);
  if (!made.ok()) return ErrorFromStatus(made.status());
  nlohmann::json answer = TokenJson(*made);
  answer["request"] = id;
  return JsonResponse(201, Dump(answer));
}

HttpResponse RefuseTokenRequest(RequestContext& ctx, const TokenKey& key) {
  UserStore users(&ctx.db, key);
  const std::string& id = ctx.request.Param("id");
  auto request = RequestWithinReach(ctx, users, "token.refuse", id);
  if (!request.ok()) return ErrorFromStatus(request.status());
  ENTENTE_HTTP_RETURN_IF_ERROR(users.RefuseTokenRequest(ctx.Actor(), id));
  return JsonResponse(200, Dump({{"id", id}, {"state", "refused"}}));
}

HttpResponse RevokeUser(RequestContext& ctx, const TokenKey& key) {
  UserStore users(&ctx.db, key);
  const std::string& name = ctx.request.Param("name");
  ENTENTE_HTTP_RETURN_IF_ERROR(MayManage(ctx, users, "user.revoke", name));
  ENTENTE_HTTP_RETURN_IF_ERROR(users.RevokeUser(ctx.Actor(), name));
  auto info = users.GetUser(ctx.request.Param("name"));
  if (!info.ok()) return ErrorFromStatus(info.status());
  return JsonResponse(200, Dump(UserJson(*info)));
}

HttpResponse RevokeToken(RequestContext& ctx, const TokenKey& key) {
  UserStore users(&ctx.db, key);
  const std::string& token_id = ctx.request.Param("token_id");
  auto owner = users.TokenOwner(token_id);
  if (!owner.ok()) return ErrorFromStatus(owner.status());
  Status may = MayManage(ctx, users, "token.revoke", *owner);
  if (may.code() == StatusCode::kNotFound)  // the same answer as a token that does not exist
    return ErrorFromStatus(NotFound("token " + token_id + " not found"));
  ENTENTE_HTTP_RETURN_IF_ERROR(may);
  ENTENTE_HTTP_RETURN_IF_ERROR(users.RevokeToken(ctx.Actor(), ctx.request.Param("token_id")));
  return JsonResponse(200, Dump({{"token_id", ctx.request.Param("token_id")}, {"revoked", true}}));
}

}  // namespace

Status MountUserRoutes(Router& router, const BuiltinDeps& deps) {
  TokenKey key = *deps.token_key;
  const char* user_schema =
      R"({"type": "object", "required": ["name", "role"], "properties": {"name": {"type": "string"}, "role": {"type": "string", "enum": ["analyst", "screening-officer", "liaison", "admin", "auditor", "partner"]}, "clearance": {"type": "string", "enum": ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]}, "service": {"type": "string"}, "expires": {"type": "string", "description": "RFC 3339 time or a duration like 30d"}}})";
  const char* token_schema =
      R"({"type": "object", "properties": {"token": {"type": "string", "description": "shown once"}, "token_id": {"type": "string"}, "user": {"type": "string"}, "expires": {"type": ["string", "null"]}}})";
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "GET",
       .pattern = "/api/v1/users",
       .permission = Permission::kUsersManage,
       .openapi = OpenApiOp{"List users", "users", {200, 401, 403}, {}, "", R"({"type": "object"})"}
                      .ToJson(),
       .handler = [key](RequestContext& ctx) { return ListUsers(ctx, key); }}));
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "POST",
       .pattern = "/api/v1/users",
       .permission = Permission::kUsersManage,
       .openapi = OpenApiOp{"Create a user; the answer holds their first token, shown once",
                            "users",
                            {201, 400, 401, 403, 409, 413},
                            {},
                            user_schema,
                            token_schema}
                      .ToJson(),
       .handler = [key](RequestContext& ctx) { return AddUser(ctx, key); }}));
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "POST",
       .pattern = "/api/v1/users/{name}/tokens",
       .permission = Permission::kUsersManage,
       .openapi = OpenApiOp{"A further token: your own at once (201); another user's is asked for "
                            "(202) and made when a second administrator approves it (body "
                            "optional: {\"expires\": ...})",
                            "users",
                            {201, 202, 400, 401, 403, 404, 413},
                            {},
                            "",
                            token_schema}
                      .ToJson(),
       .handler = [key](RequestContext& ctx) { return IssueToken(ctx, key); }}));
  const char* request_schema =
      R"({"type": "object", "properties": {"id": {"type": "string"}, "user": {"type": "string"}, "requested_by": {"type": "string"}, "state": {"type": "string", "enum": ["pending", "approved", "refused", "lapsed"]}}})";
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "GET",
       .pattern = "/api/v1/token-requests",
       .permission = Permission::kUsersManage,
       .openapi = OpenApiOp{"Tokens asked for other users, waiting for a second administrator",
                            "users",
                            {200, 401, 403},
                            {},
                            "",
                            R"({"type": "object"})"}
                      .ToJson(),
       .handler = [key](RequestContext& ctx) { return ListTokenRequests(ctx, key); }}));
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "POST",
       .pattern = "/api/v1/token-requests/{id}/approve",
       .permission = Permission::kUsersManage,
       .openapi = OpenApiOp{"Approve a token another administrator asked for: the token is made "
                            "and shown once, in this answer",
                            "users",
                            {201, 401, 403, 404, 409},
                            {},
                            "",
                            token_schema}
                      .ToJson(),
       .handler = [key](RequestContext& ctx) { return ApproveTokenRequest(ctx, key); }}));
  ENTENTE_RETURN_IF_ERROR(
      router.Add({.method = "DELETE",
                  .pattern = "/api/v1/token-requests/{id}",
                  .permission = Permission::kUsersManage,
                  .openapi = OpenApiOp{"Refuse (or, as its requester, withdraw) a token request",
                                       "users",
                                       {200, 401, 403, 404, 409},
                                       {},
                                       "",
                                       request_schema}
                                 .ToJson(),
                  .handler = [key](RequestContext& ctx) { return RefuseTokenRequest(ctx, key); }}));
  ENTENTE_RETURN_IF_ERROR(
      router.Add({.method = "DELETE",
                  .pattern = "/api/v1/users/{name}",
                  .permission = Permission::kUsersManage,
                  .openapi = OpenApiOp{"Revoke a user and all their tokens",
                                       "users",
                                       {200, 401, 403, 404},
                                       {},
                                       "",
                                       R"({"type": "object"})"}
                                 .ToJson(),
                  .handler = [key](RequestContext& ctx) { return RevokeUser(ctx, key); }}));
  return router.Add(
      {.method = "DELETE",
       .pattern = "/api/v1/tokens/{token_id}",
       .permission = Permission::kUsersManage,
       .openapi =
           OpenApiOp{
               "Revoke one token", "users", {200, 401, 403, 404}, {}, "", R"({"type": "object"})"}
               .ToJson(),
       .handler = [key](RequestContext& ctx) { return RevokeToken(ctx, key); }});
}

}  // namespace entente::server
