#include "api/reconcile_services.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

#include "api/ftm_view.h"
#include "api/route_util.h"
#include "api/yente_search.h"

namespace entente::server {
namespace {

using nlohmann::json;

struct PropertyInfo {
  const char* id;
  const char* name;
  bool person_only;
};

// What extension can add to a reconciled column: the FtM properties of api/ftm_view.h.
constexpr PropertyInfo kProperties[] = {
    {"name", "Name", false},
    {"alias", "Other names", false},
    {"birthDate", "Birth date", true},
    {"birthPlace", "Place of birth", true},
    {"nationality", "Nationality (country code)", false},
    {"passportNumber", "Passport number", true},
    {"idNumber", "Identity document number", false},
    {"address", "Address", false},
    {"gender", "Gender", true},
    {"topics", "Topics (FtM)", false},
};

const PropertyInfo* FindProperty(std::string_view id) {
  for (const PropertyInfo& p : kProperties)
    if (id == p.id) return &p;
  return nullptr;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return Lower(haystack).find(Lower(needle)) != std::string::npos;
}

Result<std::string> PrefixOf(const HttpRequest& request) {
  std::string prefix = request.Query("prefix");
  if (prefix.empty() || prefix.size() > 200)
    return InvalidArgument("field prefix: 1 to 200 characters required");
  for (char c : prefix)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return InvalidArgument("field prefix: contains a control character");
  return prefix;
}

std::string ServiceUrl(const RequestContext& ctx) {
  std::string host = ctx.request.Header("host");
  bool clean =
      !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
               c == '[' || c == ']';
      });
  return clean ? "https://" + host + "/reconcile" : "/reconcile";
}

json TypeJson(const std::string& schema) { return {{"id", schema}, {"name", schema}}; }

HttpResponse SuggestEntity(RequestContext& ctx) {
  auto prefix = PrefixOf(ctx.request);
  if (!prefix.ok()) return ErrorFromStatus(prefix.status());
  auto cursor = IntQuery(ctx.request, "cursor", 0, 0, 1000);
  if (!cursor.ok()) return ErrorFromStatus(cursor.status());
  auto limit = IntQuery(ctx.request, "limit", 10, 1, 50);
  if (!limit.ok()) return ErrorFromStatus(limit.status());
  int64_t withheld = 0;
  auto found = ctx.records.SearchNames(*prefix, {}, *cursor + *limit, &withheld);
  if (!found.ok()) return ErrorFromStatus(found.status());
  json result = json::array();
  for (size_t i = static_cast<size_t>(*cursor); i < found->size(); ++i) {
    const Entity& e = (*found)[i];
    std::string description =
        std::string(TlpName(e.meta.marking.tlp)) + " · " + e.meta.provenance.service;
    if (!e.birth_dates.empty()) description += " · " + e.birth_dates[0].ToString();
    result.push_back({{"id", e.meta.id},
                      {"name", e.DisplayName()},
                      {"description", description},
                      {"notable", json::array({TypeJson(FtmSchemaOf(e))})}});
  }
  ENTENTE_HTTP_RETURN_IF_ERROR(
      ctx.AuditAlone("match.reconcile.suggest", "", "ok",
                     {{"prefix", *prefix}, {"results", std::to_string(result.size())}}));
  return JsonResponse(200, Dump({{"result", result}}));
}

HttpResponse SuggestType(RequestContext& ctx) {
  auto prefix = PrefixOf(ctx.request);
  if (!prefix.ok()) return ErrorFromStatus(prefix.status());
  json result = json::array();
  for (const char* schema : {"Person", "Organization"})
    if (Contains(schema, *prefix)) result.push_back(TypeJson(schema));
  return JsonResponse(200, Dump({{"result", result}}));
}

HttpResponse SuggestProperty(RequestContext& ctx) {
  auto prefix = PrefixOf(ctx.request);
  if (!prefix.ok()) return ErrorFromStatus(prefix.status());
  json result = json::array();
  for (const PropertyInfo& p : kProperties)
    if (Contains(p.id, *prefix) || Contains(p.name, *prefix))
      result.push_back({{"id", p.id}, {"name", p.name}});
  return JsonResponse(200, Dump({{"result", result}}));
}

HttpResponse ProposeProperties(RequestContext& ctx) {
  const std::string type = ctx.request.Query("type");
  if (type != "Person" && type != "Organization")
    return ErrorFromStatus(
        InvalidArgument("field type: required, Person or Organization; got '" + type + "'"));
  auto limit = IntQuery(ctx.request, "limit", 100, 1, 100);
  if (!limit.ok()) return ErrorFromStatus(limit.status());
  json properties = json::array();
  for (const PropertyInfo& p : kProperties) {
    if (p.person_only && type != "Person") continue;
    if (static_cast<int64_t>(properties.size()) >= *limit) break;
    properties.push_back({{"id", p.id}, {"name", p.name}});
  }
  return JsonResponse(200, Dump({{"type", type}, {"properties", properties}, {"limit", *limit}}));
}

// The properties a record shows the caller, by FtM name; empty for a missing, unreadable or
// non-entity record alike.
json ReadableProperties(RequestContext& ctx, const std::string& id) {
  auto record = ctx.records.Get(id);
  if (!record.ok()) return json::object();
  const Entity* entity = std::get_if<Entity>(&*record);
  if (entity == nullptr) return json::object();
  return YenteEntityJson(*entity, "default")["properties"];
}

Result<std::vector<std::string>> StringList(const json& request, const std::string& field,
                                            size_t max) {
  const std::string where = "field extend." + field;
  if (!request.contains(field) || !request[field].is_array() || request[field].empty() ||
      request[field].size() > max)
    return InvalidArgument(where + ": required, a list of 1 to " + std::to_string(max));
  std::vector<std::string> out;
  for (size_t i = 0; i < request[field].size(); ++i) {
    const json& item = request[field][i];
    const json* value = &item;
    if (field == "properties") {
      if (!item.is_object() || !item.contains("id"))
        return InvalidArgument(where + "[" + std::to_string(i) + "]: expected {\"id\": ...}");
      value = &item["id"];
    }
    if (!value->is_string() || value->get<std::string>().empty())
      return InvalidArgument(where + "[" + std::to_string(i) + "]: expected a non-empty string");
    out.push_back(value->get<std::string>());
  }
  return out;
}

}  // namespace

json ReconcileServiceManifest(const RequestContext& ctx) {
  const std::string url = ServiceUrl(ctx);
  auto service = [&](const char* path) {
    return json{{"service_url", url}, {"service_path", path}};
  };
  return {
      {"suggest",
       {{"entity", service("/suggest/entity")},
        {"type", service("/suggest/type")},
        {"property", service("/suggest/property")}}},
      {"extend",
       {{"propose_properties", service("/extend/propose")}, {"property_settings", json::array()}}}};
}

Result<json> ExtendRows(RequestContext& ctx, const std::string& extend_text) {
  json request = json::parse(extend_text, nullptr, false);
  if (request.is_discarded() || !request.is_object())
    return InvalidArgument("field extend: expected a JSON object {\"ids\", \"properties\"}");
  ENTENTE_ASSIGN_OR_RETURN(std::vector<std::string> ids, StringList(request, "ids", 100));
  ENTENTE_ASSIGN_OR_RETURN(std::vector<std::string> props, StringList(request, "properties", 20));
  json meta = json::array();
  for (size_t i = 0; i < props.size(); ++i) {
    const PropertyInfo* p = FindProperty(props[i]);
    if (p == nullptr)
      return InvalidArgument("field extend.properties[" + std::to_string(i) + "].id: '" + props[i] +
                             "' is not offered (see /reconcile/extend/propose)");
    meta.push_back({{"id", p->id}, {"name", p->name}});
  }
  json rows = json::object();
  for (const std::string& id : ids) {
    json have = ReadableProperties(ctx, id);
    json row = json::object();
    for (const std::string& prop : props) {
      json values = json::array();
      if (have.contains(prop))
        for (const json& v : have[prop]) values.push_back({{"str", v}});
      row[prop] = values;
    }
    rows[id] = row;
  }
  ENTENTE_RETURN_IF_ERROR(ctx.AuditAlone(
      "match.reconcile.extend", "", "ok",
      {{"ids", std::to_string(ids.size())}, {"properties", std::to_string(props.size())}}));
  return json{{"meta", meta}, {"rows", rows}};
}

Status MountReconcileServiceRoutes(Router& router, const BuiltinDeps&) {
  struct Service {
    const char* path;
    const char* summary;
    std::vector<std::string> query;
    HttpResponse (*handler)(RequestContext&);
  };
  const std::vector<Service> services = {
      {"/reconcile/suggest/entity",
       "Suggest records by name (W3C reconciliation suggest service)",
       {"prefix:string:name text, 1 to 200 characters (required)",
        "cursor:integer:offset, 0 to 1000", "limit:integer:1 to 50 (default 10)"},
       SuggestEntity},
      {"/reconcile/suggest/type",
       "Suggest types (W3C reconciliation suggest service)",
       {"prefix:string:text (required)"},
       SuggestType},
      {"/reconcile/suggest/property",
       "Suggest properties (W3C reconciliation suggest service)",
       {"prefix:string:text (required)"},
       SuggestProperty},
      {"/reconcile/extend/propose",
       "Properties a reconciled column can be extended with (W3C data extension)",
       {"type:string:Person or Organization (required)", "limit:integer:1 to 100"},
       ProposeProperties},
  };
  for (const Service& s : services) {
    ENTENTE_RETURN_IF_ERROR(router.Add({.method = "GET",
                                        .pattern = s.path,
                                        .permission = Permission::kMatch,
                                        .auth = kAuthBearer | kAuthBasic,
                                        .rate_limited = true,
                                        .openapi = OpenApiOp{s.summary,
                                                             "match",
                                                             {200, 400, 401, 403, 429},
                                                             s.query,
                                                             "",
                                                             R"({"type": "object"})"}
                                                       .ToJson(),
                                        .handler = s.handler}));
  }
  return Status::Ok();
}

}  // namespace entente::server
