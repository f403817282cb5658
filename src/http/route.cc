#include "http/route.h"

#include <nlohmann/json.hpp>

#include "http/message_codes.h"

namespace entente::server {

const std::string& HttpRequest::Param(const std::string& name) const {
  static const std::string kEmpty;
  auto it = path_params.find(name);
  return it == path_params.end() ? kEmpty : it->second;
}

std::string HttpRequest::Query(const std::string& name, const std::string& fallback) const {
  auto it = query.find(name);
  return it == query.end() ? fallback : it->second;
}

std::string HttpRequest::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

std::string_view ErrorCodeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kPermissionDenied:
      return "permission_denied";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kConflict:
      return "conflict";
    case StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case StatusCode::kUnavailable:
      return "unavailable";
    default:
      return "internal";
  }
}

HttpResponse JsonError(int status, std::string_view code, std::string_view message,
                       std::string_view field) {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  AddCode(error, "message", message);  // http/message_codes.h: the UI's translation key
  HttpResponse response;
  response.status = status;
  response.body = nlohmann::json{{"error", error}}.dump(-1, ' ', false,
                                                        nlohmann::json::error_handler_t::replace);
  return response;
}

HttpResponse ErrorFromStatus(const Status& status) {
  int http = HttpStatusFor(status.code());
  if (http == 500) return JsonError(500, "internal", "internal error; see the server log");
  // "…field NAME: reason" names the field.
  std::string field;
  const std::string& message = status.message();
  size_t at = message.find("field ");
  if (at != std::string::npos) {
    size_t end = message.find(':', at);
    if (end != std::string::npos) field = message.substr(at + 6, end - at - 6);
    if (field.find(' ') != std::string::npos) field.clear();
  }
  return JsonError(http, ErrorCodeFor(status.code()), message, field);
}

HttpResponse JsonResponse(int status, std::string json) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(json);
  return response;
}

AuditActor RequestContext::Actor() const {
  return {principal.user, std::string(RoleName(principal.role)), principal.service};
}

Status RequestContext::Audit(std::string_view action, std::string_view target,
                             std::string_view outcome, AuditDetail detail) {
  AuditEvent event{principal.user,      std::string(RoleName(principal.role)),
                   principal.service,   std::string(action),
                   std::string(target), std::string(outcome),
                   std::move(detail)};
  if (!principal.token_id.empty()) event.detail.emplace_back("token_id", principal.token_id);
  if (!principal.partner.empty()) event.detail.emplace_back("partner", principal.partner);
  return AuditLog::Append(db, event).status();
}

Status RequestContext::AuditAlone(std::string_view action, std::string_view target,
                                  std::string_view outcome, AuditDetail detail) {
  Transaction tx(&db);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_RETURN_IF_ERROR(Audit(action, target, outcome, std::move(detail)));
  return tx.Commit();
}

}  // namespace entente::server
