#include "api/yente_search.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "api/ftm_view.h"
#include "api/route_util.h"

namespace entente::server {
namespace {

using nlohmann::json;

// Results a search looks at (total and facets are counted over them; offset + limit stays
// within). A search that reaches it answers total.relation "gte".
constexpr int64_t kSearchWindow = 1000;

HttpResponse YenteFromStatus(const Status& status) {
  HttpResponse generic = ErrorFromStatus(status);
  json body = json::parse(generic.body, nullptr, false);
  if (body.is_object()) body["detail"] = status.message();
  generic.body = Dump(body);
  return generic;
}

// The OpenAPI operation with its own operationId (the one derived from the path would be the
// same as /api/v1/entities/{id}'s).
std::string WithOperationId(const std::string& openapi, const char* id) {
  json operation = json::parse(openapi);
  operation["operationId"] = id;
  return operation.dump();
}

bool KnownDataset(const std::string& name) { return name == "default" || name == "entente"; }

// FtM topics for entente's threat categories ("other" has none).
std::optional<std::string> TopicOf(ThreatCategory category) {
  switch (category) {
    case ThreatCategory::kTerrorism:
      return "crime.terror";
    case ThreatCategory::kOrganizedCrime:
      return "crime";
    case ThreatCategory::kNarcotics:
      return "crime.traffick.drug";
    case ThreatCategory::kIllegalMigration:
      return "crime.traffick";
    case ThreatCategory::kHumanTrafficking:
      return "crime.traffick.human";
    case ThreatCategory::kOther:
      return std::nullopt;
  }
  return std::nullopt;
}

std::vector<std::string> CountriesOf(const Entity& entity) {
  std::vector<std::string> out;
  for (std::string c : entity.nationalities) {
    for (char& ch : c) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  return out;
}

std::vector<std::string> QueryValues(const HttpRequest& request, const std::string& name) {
  std::vector<std::string> out;
  auto range = request.query.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) {
    std::string v = it->second;
    for (char& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    out.push_back(v);
  }
  return out;
}

struct SearchParams {
  std::string dataset;
  std::string q;
  std::optional<EntityType> type;
  std::vector<std::string> countries, topics, datasets;
  std::optional<bool> target;
  int64_t limit = 10;
  int64_t offset = 0;
};

Result<std::optional<bool>> BoolQuery(const HttpRequest& request, const std::string& name) {
  if (!request.HasQuery(name)) return std::optional<bool>();
  std::string v = request.Query(name);
  if (v == "true" || v == "1") return std::optional<bool>(true);
  if (v == "false" || v == "0") return std::optional<bool>(false);
  return InvalidArgument("field " + name + ": true or false, got '" + v + "'");
}

Result<SearchParams> SearchParamsOf(const HttpRequest& request) {
  SearchParams p;
  p.q = request.Query("q");
  if (p.q.empty() || p.q.size() > 200)
    return InvalidArgument("field q: 1 to 200 characters required");
  for (char c : p.q)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return InvalidArgument("field q: contains a control character");
  const std::string schema = request.Query("schema", "Thing");
  if (!FtmSchemaToType(schema, &p.type))
    return InvalidArgument("field schema: '" + schema +
                           "' is not one this node searches (Person, Organization, Company, "
                           "LegalEntity or Thing)");
  ENTENTE_ASSIGN_OR_RETURN(p.limit, IntQuery(request, "limit", 10, 0, 500));
  ENTENTE_ASSIGN_OR_RETURN(p.offset, IntQuery(request, "offset", 0, 0, kSearchWindow));
  if (p.offset + p.limit > kSearchWindow)
    return InvalidArgument("field offset: offset + limit may not exceed " +
                           std::to_string(kSearchWindow));
  for (const std::string& c : QueryValues(request, "countries"))
    if (c.size() != 2 || !std::isalpha(static_cast<unsigned char>(c[0])) ||
        !std::isalpha(static_cast<unsigned char>(c[1])))
      return InvalidArgument("field countries: '" + c + "' is not an ISO 3166 alpha-2 code");
  p.countries = QueryValues(request, "countries");
  p.topics = QueryValues(request, "topics");
  p.datasets = QueryValues(request, "datasets");
  ENTENTE_ASSIGN_OR_RETURN(p.target, BoolQuery(request, "target"));
  ENTENTE_ASSIGN_OR_RETURN(std::optional<bool> fuzzy, BoolQuery(request, "fuzzy"));
  (void)fuzzy;  // the name search already folds case and spelling; accepted for yente clients
  if (request.HasQuery("sort") && !request.Query("sort").empty())
    return InvalidArgument("field sort: not supported; results come best first");
  return p;
}

bool PassesFilters(const Entity& entity, const SearchParams& p) {
  if (p.target.has_value() && !*p.target) return false;  // every record here is a target
  if (!p.datasets.empty() && std::none_of(p.datasets.begin(), p.datasets.end(),
                                          [](const std::string& d) { return KnownDataset(d); }))
    return false;
  if (!p.countries.empty()) {
    std::vector<std::string> have = CountriesOf(entity);
    bool any = std::any_of(p.countries.begin(), p.countries.end(), [&](const std::string& c) {
      return std::find(have.begin(), have.end(), c) != have.end();
    });
    if (!any) return false;
  }
  if (!p.topics.empty()) {
    std::optional<std::string> topic = TopicOf(entity.meta.category);
    if (!topic || std::find(p.topics.begin(), p.topics.end(), *topic) == p.topics.end())
      return false;
  }
  return true;
}

json Facet(const std::string& label, const std::map<std::string, int64_t>& counts) {
  json values = json::array();
  for (const auto& [name, count] : counts)
    values.push_back({{"name", name}, {"label", name}, {"count", count}});
  return {{"label", label}, {"values", values}};
}

HttpResponse Search(RequestContext& ctx) {
  const std::string dataset = ctx.request.Param("dataset");
  if (!KnownDataset(dataset))
    return YenteError(
        404, "not_found",
        "unknown dataset '" + dataset + "': this node serves 'default' (every record you may read)",
        "dataset");
  auto params = SearchParamsOf(ctx.request);
  if (!params.ok()) return YenteFromStatus(params.status());
  RecordFilter filter;
  if (params->type) filter.types = {std::string(EntityTypeName(*params->type))};
  int64_t withheld = 0;  // never told: a hidden record leaves no trace in the answer
  auto found = ctx.records.SearchNames(params->q, filter, kSearchWindow, &withheld);
  if (!found.ok()) return YenteFromStatus(found.status());
  std::vector<const Entity*> hits;
  std::map<std::string, int64_t> countries, topics;
  for (const Entity& e : *found) {
    if (!PassesFilters(e, *params)) continue;
    hits.push_back(&e);
    for (const std::string& c : CountriesOf(e)) countries[c]++;
    if (auto topic = TopicOf(e.meta.category)) topics[*topic]++;
  }
  json results = json::array();
  for (int64_t i = params->offset;
       i < static_cast<int64_t>(hits.size()) && i < params->offset + params->limit; ++i)
    results.push_back(YenteEntityJson(*hits[static_cast<size_t>(i)], dataset));
  bool capped = static_cast<int64_t>(found->size()) >= kSearchWindow;
  json body = {
      {"results", results},
      {"facets",
       {{"countries", Facet("Countries", countries)},
        {"topics", Facet("Topics", topics)},
        {"datasets", Facet("Data sources", {{"default", static_cast<int64_t>(hits.size())}})}}},
      {"total", {{"value", hits.size()}, {"relation", capped ? "gte" : "eq"}}},
      {"limit", params->limit},
      {"offset", params->offset}};
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.AuditAlone("search.yente", dataset, "ok",
                                              {{"q", params->q},
                                               {"results", std::to_string(results.size())},
                                               {"withheld", std::to_string(withheld)}}));
  return JsonResponse(200, Dump(body));
}

HttpResponse FetchEntity(RequestContext& ctx) {
  const std::string id = ctx.request.Param("id");
  if (auto nested = BoolQuery(ctx.request, "nested"); !nested.ok())
    return YenteFromStatus(nested.status());
  // One answer for a missing id, an unreadable record and a record that is no entity.
  HttpResponse missing = YenteError(404, "not_found", "no entity " + id, "id");
  auto record = ctx.records.Get(id);
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kNotFound) return missing;
    return YenteFromStatus(record.status());
  }
  const Entity* entity = std::get_if<Entity>(&*record);
  if (entity == nullptr) return missing;
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.AuditAlone("read.yente", id, "ok"));
  return JsonResponse(200, Dump(YenteEntityJson(*entity, "default")));
}

HttpResponse Catalog(RequestContext& ctx) {
  auto stats = ctx.records.Stats();
  if (!stats.ok()) return YenteFromStatus(stats.status());
  std::string version = std::to_string(stats->max_change_seq);
  json dataset = {{"name", "default"},
                  {"title", "entente node " + ctx.node_service},
                  {"summary", "Every record of this node the caller may read"},
                  {"type", "collection"},
                  {"load", false},
                  {"entities_url", nullptr},
                  {"version", version},
                  {"index_version", version},
                  {"index_current", true},
                  {"entity_count", stats->records},
                  {"children", json::array()}};
  json body = {{"datasets", json::array({dataset})},
               {"current", json::array({"default"})},
               {"outdated", json::array()},
               {"index_stale", false}};
  return JsonResponse(200, Dump(body));
}

}  // namespace

HttpResponse YenteError(int status, std::string_view code, std::string_view message,
                        std::string_view field) {
  HttpResponse response = JsonError(status, code, message, field);
  json body = json::parse(response.body, nullptr, false);
  if (body.is_object()) body["detail"] = std::string(message);
  response.body = Dump(body);
  return response;
}

json YenteEntityJson(const Entity& entity, const std::string& dataset) {
  const RecordMeta& meta = entity.meta;
  json referents = json::array();
  if (!meta.provenance.source_record_id.empty())
    referents.push_back(meta.provenance.source_record_id);
  auto seen = [](const std::string& when) { return when.empty() ? json(nullptr) : json(when); };
  json properties = FtmProperties(entity);
  if (auto topic = TopicOf(meta.category)) properties["topics"] = json::array({*topic});
  return {{"id", meta.id},
          {"caption", entity.DisplayName()},
          {"schema", FtmSchemaOf(entity)},
          {"properties", properties},
          {"datasets", json::array({dataset})},
          {"referents", referents},
          {"target", true},
          {"first_seen", seen(meta.provenance.first_seen)},
          {"last_seen", seen(meta.provenance.last_seen)},
          {"last_change", seen(meta.modified)}};
}

Status MountYenteDataRoutes(Router& router, const BuiltinDeps&) {
  const std::string entity_schema =
      R"({"type": "object", "required": ["id", "caption", "schema", "properties", "datasets"], "properties": {"id": {"type": "string"}, "caption": {"type": "string"}, "schema": {"type": "string"}, "properties": {"type": "object"}, "datasets": {"type": "array", "items": {"type": "string"}}, "referents": {"type": "array"}, "target": {"type": "boolean"}}})";
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "GET",
       .pattern = "/search/{dataset}",
       .permission = Permission::kRecordsRead,
       .auth = kAuthBearer | kAuthBasic,
       .rate_limited = true,
       .openapi = WithOperationId(
           OpenApiOp{
               "Search entities by name text (yente's search API)",
               "match",
               {200, 400, 401, 403, 404, 429},
               {"q:string:name text, 1 to 200 characters (required)",
                "schema:string:Person, Organization, Company, LegalEntity or Thing",
                "countries:string:ISO alpha-2 country code (repeatable)",
                "topics:string:FtM topic such as crime.terror (repeatable)",
                "datasets:string:default or entente (repeatable)",
                "target:boolean:only targets (every record here is one)",
                "fuzzy:boolean:accepted; the name search always folds case and spelling",
                "limit:integer:0 to 500 (default 10)",
                "offset:integer:0 to 1000, offset + limit at most 1000"},
               "",
               R"({"type": "object", "required": ["results", "facets", "total", "limit", "offset"], "properties": {"results": {"type": "array", "items": )" +
                   entity_schema +
                   R"(}, "facets": {"type": "object"}, "total": {"type": "object", "properties": {"value": {"type": "integer"}, "relation": {"type": "string"}}}, "limit": {"type": "integer"}, "offset": {"type": "integer"}}})"}
               .ToJson(),
           "yenteSearch"),
       .handler = Search,
       .error_formatter = YenteError}));
  ENTENTE_RETURN_IF_ERROR(
      router.Add({.method = "GET",
                  .pattern = "/entities/{id}",
                  .permission = Permission::kRecordsRead,
                  .auth = kAuthBearer | kAuthBasic,
                  .openapi = WithOperationId(
                      OpenApiOp{"One entity (yente's entity API); unreadable answers as missing",
                                "match",
                                {200, 400, 401, 403, 404, 429},
                                {"nested:boolean:accepted; adjacent entities are not inlined"},
                                "",
                                entity_schema}
                          .ToJson(),
                      "yenteEntity"),
                  .handler = FetchEntity,
                  .error_formatter = YenteError}));
  return router.Add(
      {.method = "GET",
       .pattern = "/catalog",
       .permission = Permission::kRecordsRead,
       .auth = kAuthBearer | kAuthBasic,
       .openapi = WithOperationId(
           OpenApiOp{
               "The datasets this node serves (yente's catalog)",
               "match",
               {200, 401, 403, 429},
               {},
               "",
               R"({"type": "object", "required": ["datasets", "current", "outdated", "index_stale"], "properties": {"datasets": {"type": "array", "items": {"type": "object", "required": ["name", "title"]}}, "current": {"type": "array"}, "outdated": {"type": "array"}, "index_stale": {"type": "boolean"}}})"}
               .ToJson(),
           "yenteCatalog"),
       .handler = Catalog,
       .error_formatter = YenteError});
}

}  // namespace entente::server
