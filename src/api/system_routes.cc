// Public routes: health and the OpenAPI 3 document, assembled from the registered routes' own
// operation objects (so screening, exchange and other modules appear in it too).
#include <cctype>
#include <nlohmann/json.hpp>

#include "api/builtin_routes.h"
#include "api/route_util.h"

namespace entente::server {
namespace {

std::string ToLower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

nlohmann::json Components() {
  return nlohmann::json::parse(R"json({
  "securitySchemes": {
    "bearerAuth": {"type": "http", "scheme": "bearer", "description": "API token from `entente users add`"},
    "basicAuth": {"type": "http", "scheme": "basic", "description": "user name and API token (TAXII 2.1 interoperability)"},
    "mutualTLS": {"type": "mutualTLS", "description": "client certificate of a partner node"}
  },
  "schemas": {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
      "required": ["code", "message"], "properties": {"code": {"type": "string"},
      "message": {"type": "string"}, "field": {"type": "string"}}}}},
    "Record": {"type": "object", "description": "an entity or relationship in the JSON form of model/codec.h",
      "required": ["type"], "properties": {"id": {"type": "string"}, "type": {"type": "string"},
      "names": {"type": "array", "items": {"type": "object"}}, "marking": {"type": "object"},
      "provenance": {"type": "object"}, "version": {"type": "integer"}}},
    "RecordPage": {"type": "object", "properties": {"items": {"type": "array",
      "items": {"$ref": "#/components/schemas/Record"}}, "next_cursor": {"type": ["string", "null"]}}},
    "ImportJob": {"type": "object", "properties": {"id": {"type": "string"}, "state": {"type": "string",
      "enum": ["queued", "running", "done", "failed"]}, "records": {"type": "integer"}}}
  }
})json");
}

}  // namespace

// "GET /api/v1/entities/{id}/history" -> "getEntitiesByIdHistory": unique per method and path.
std::string OperationId(const RouteSpec& route) {
  std::string id = ToLower(route.method);
  for (const std::string& segment : SplitPath(route.pattern)) {
    if (segment == "api" || segment == "v1") continue;
    bool param = segment.size() > 2 && segment.front() == '{';
    std::string word = param ? "By" : "";
    bool upper = true;
    for (char c : param ? segment.substr(1, segment.size() - 2) : segment) {
      if (!std::isalnum(static_cast<unsigned char>(c))) {
        upper = true;
        continue;
      }
      word += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
    id += word;
  }
  return id;
}

std::string BuildOpenApiDocument(const Router& router, const std::string& server_url) {
  nlohmann::json paths = nlohmann::json::object();
  for (const RouteSpec& route : router.routes()) {
    nlohmann::json operation = nlohmann::json::parse(route.openapi, nullptr, false);
    if (operation.is_discarded() || !operation.is_object()) {
      operation = {{"summary", "(no valid OpenAPI operation registered)"}};
    }
    // Path parameters come from the pattern.
    nlohmann::json parameters =
        operation.contains("parameters") ? operation["parameters"] : nlohmann::json::array();
    auto listed = [&parameters](const std::string& name, const char* in) {
      for (const nlohmann::json& parameter : parameters) {
        if (parameter.value("name", "") == name && parameter.value("in", "") == in) return true;
      }
      return false;
    };
    for (const std::string& segment : SplitPath(route.pattern)) {
      if (segment.size() > 2 && segment.front() == '{' &&
          !listed(segment.substr(1, segment.size() - 2), "path")) {
        parameters.push_back({{"name", segment.substr(1, segment.size() - 2)},
                              {"in", "path"},
                              {"required", true},
                              {"schema", {{"type", "string"}}}});
      }
    }
    if (!parameters.empty()) operation["parameters"] = parameters;
    nlohmann::json security = nlohmann::json::array();
    if (route.permission != Permission::kPublic) {
      if (route.auth & kAuthBearer) security.push_back({{"bearerAuth", nlohmann::json::array()}});
      if (route.auth & kAuthBasic) security.push_back({{"basicAuth", nlohmann::json::array()}});
      if (route.auth & kAuthClientCert)
        security.push_back({{"mutualTLS", nlohmann::json::array()}});
    }
    operation["security"] = security;
    if (!operation.contains("operationId")) operation["operationId"] = OperationId(route);
    operation["x-entente-permission"] = PermissionName(route.permission);
    operation["x-entente-rate-limited"] = route.rate_limited;
    paths[route.pattern][ToLower(route.method)] = operation;
  }
  nlohmann::json document = {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "entente API"},
        {"version", "1"},
        {"description",
         "Intelligence store, matching, screening and exchange between services. Every read "
         "is filtered by the caller's clearance and service; sensitive actions are audited."}}},
      {"servers", {{{"url", server_url}}}},
      {"paths", paths},
      {"components", Components()}};
  return Dump(document);
}

Status MountSystemRoutes(Router& router, const BuiltinDeps& deps) {
  const Router* all_routes = deps.router;
  std::string scheme = deps.config->plain_http ? "http" : "https";
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "GET",
       .pattern = "/api/v1/health",
       .permission = Permission::kPublic,
       .auth = kAuthNone,
       .openapi = OpenApiOp{"Liveness: 200 while the server runs",
                            "system",
                            {200},
                            {},
                            "",
                            R"({"type": "object"})"}
                      .ToJson(),
       .handler = [](RequestContext&) { return JsonResponse(200, R"({"status":"ok"})"); }}));
  return router.Add(
      {.method = "GET",
       .pattern = "/api/v1/openapi.json",
       .permission = Permission::kPublic,
       .auth = kAuthNone,
       .openapi =
           OpenApiOp{"This OpenAPI 3 document", "system", {200}, {}, "", R"({"type": "object"})"}
               .ToJson(),
       .handler = [all_routes](RequestContext&) {
         // Relative server URL: correct behind any host name or proxy.
         return JsonResponse(200, BuildOpenApiDocument(*all_routes, "/"));
       }});
}

}  // namespace entente::server
