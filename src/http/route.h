// The route registration API of the entente server: what a subsystem writes to put its own
// endpoints on `entente serve` (screening, exchange/TAXII, risk, graph), without touching the
// server's files and without seeing cpp-httplib.
//
// A route is a RouteSpec: method, path pattern, the Permission it requires, which credentials
// it accepts, its body limit, whether it counts toward the per-token rate limit, its OpenAPI
// operation, and a handler. The server authenticates the caller, checks the permission, the
// limits and the body size BEFORE the handler runs; the handler gets a RequestContext with the
// principal, a database connection of its own and the audit trail, and returns an HttpResponse.
//
//   router.Add({.method = "GET", .pattern = "/api/v1/screen/jobs/{id}",
//               .permission = Permission::kScreenRun,
//               .openapi = R"({"summary": "A screening job", "responses": {...}})",
//               .handler = [](RequestContext& ctx) {
//                 ... ctx.request.Param("id") ... ctx.db ...
//                 ENTENTE_HTTP_RETURN_IF_ERROR(ctx.Audit("screen.job.read", id));
//                 return JsonResponse(200, body);
//               }});
//
// Markings: handlers read and write records through ctx.records, which returns only what the
// principal may read and refuses what it may not write (auth/policy.h, auth/scoped_store.h).
// A result computed elsewhere (the match index, the graph, a screening hit) is shown only when
// ctx.records.policy().CanRead/CanSee allows it. Audit: a handler that reads a
// record marked AMBER or above, searches, matches, writes or decides MUST call ctx.Audit(...)
// inside the transaction of its action (see audit/audit_log.h).
//
// Thread-safety: handlers run concurrently on the server's worker threads; each call gets its
// own RequestContext and database connection. Anything a handler shares across calls (an
// index, a cache) must be thread-safe; put it in ctx.services.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "audit/audit_log.h"
#include "auth/principal.h"
#include "auth/roles.h"
#include "auth/scoped_store.h"
#include "common/status.h"
#include "store/database.h"
#include "store/record_store.h"

namespace entente::server {

// A request as the handler sees it. Header names are lowercase.
struct HttpRequest {
  std::string method;
  std::string path;                                 // decoded
  std::map<std::string, std::string> path_params;   // {name} -> value (decoded)
  std::multimap<std::string, std::string> query;    // decoded
  std::multimap<std::string, std::string> headers;  // lowercase names
  std::string body;
  std::string remote_addr;

  // The path parameter `name` ("" when absent).
  const std::string& Param(const std::string& name) const;
  // The first query value of `name`, or `fallback`.
  std::string Query(const std::string& name, const std::string& fallback = "") const;
  bool HasQuery(const std::string& name) const { return query.count(name) > 0; }
  // The first header value of `name` (lowercase), or "".
  std::string Header(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

// {"error": {"code": code, "message": message, "field": field}} ("field" omitted when empty).
HttpResponse JsonError(int status, std::string_view code, std::string_view message,
                       std::string_view field = "");
// Maps a Status to an HTTP error: InvalidArgument 400, Unauthenticated 401, PermissionDenied
// 403, NotFound 404, Conflict 409, ResourceExhausted 429, Unavailable 503, others 500 (whose
// message is replaced by a generic one: internals do not leak). `field` is taken from a
// message of the form "field NAME: ..." when present.
HttpResponse ErrorFromStatus(const Status& status);
// HTTP status for a StatusCode, and the stable error code string ("invalid_argument", ...).
int HttpStatusFor(StatusCode code);
std::string_view ErrorCodeFor(StatusCode code);
// A 200/201 JSON response with `json` as the body.
HttpResponse JsonResponse(int status, std::string json);

// Shared, thread-safe objects that live as long as the server (the match index, a screening
// engine): one instance per type. Set up before the server starts; read-only afterwards.
class Services {
 public:
  template <typename T>
  void Put(std::shared_ptr<T> service) {
    items_[std::type_index(typeid(T))] = std::move(service);
  }
  // nullptr when absent.
  template <typename T>
  T* Get() const {
    auto it = items_.find(std::type_index(typeid(T)));
    return it == items_.end() ? nullptr : static_cast<T*>(it->second.get());
  }

 private:
  std::unordered_map<std::type_index, std::shared_ptr<void>> items_;
};

// Everything a handler gets.
struct RequestContext {
  const HttpRequest& request;
  const Principal& principal;
  Database& db;          // this request's connection; no transaction is open on entry
  ScopedStore& records;  // the store over `db` as the principal may see it (auth/policy.h)
  const Services& services;
  std::string node_service;  // this node's service name

  // Appends an audit entry attributed to the principal. REQUIRES: a write transaction is
  // open on `db` (the action's own); use AuditAlone() when there is no other write.
  Status Audit(std::string_view action, std::string_view target, std::string_view outcome = "ok",
               AuditDetail detail = {});
  Status AuditAlone(std::string_view action, std::string_view target,
                    std::string_view outcome = "ok", AuditDetail detail = {});
  AuditActor Actor() const;
};

using RouteHandler = std::function<HttpResponse(RequestContext&)>;
// Builds an error body in a route's own format (TAXII has its own error resource).
using ErrorFormatter = std::function<HttpResponse(
    int status, std::string_view code, std::string_view message, std::string_view field)>;

// Which credentials a route accepts (bit set).
enum AuthMethod : unsigned {
  kAuthNone = 0,        // only for Permission::kPublic
  kAuthBearer = 1,      // Authorization: Bearer <token>
  kAuthBasic = 2,       // Authorization: Basic base64(user:token)  (TAXII 2.1 interop)
  kAuthClientCert = 4,  // a verified client certificate mapped to a partner (mutual TLS)
};

struct RouteSpec {
  std::string method{};  // "GET", "POST", "PUT", "PATCH", "DELETE"
  // "/api/v1/entities/{id}": literal segments and {name} segments (one path segment each).
  std::string pattern{};
  Permission permission = Permission::kPublic;
  unsigned auth = kAuthBearer;
  // Largest request body accepted (413 beyond); 0: the server's default (1 MiB).
  size_t max_body = 0;
  // Counts toward the per-token rate limit (429 beyond): searches, matches.
  bool rate_limited = false;
  // The OpenAPI 3 operation object as JSON text: at least "summary" and "responses" (every
  // status the route can return, including 401/403/429 the server adds). The served document
  // is assembled from these; tests check each route's real answers against it.
  std::string openapi{};
  RouteHandler handler{};
  ErrorFormatter error_formatter{};  // empty: JsonError
};

// Early return from a handler on a non-OK Status, as an HTTP error.
#define ENTENTE_HTTP_RETURN_IF_ERROR(expr)                             \
  do {                                                                 \
    ::entente::Status entente_http_status_ = (expr);                   \
    if (!entente_http_status_.ok()) {                                  \
      return ::entente::server::ErrorFromStatus(entente_http_status_); \
    }                                                                  \
  } while (0)

}  // namespace entente::server
