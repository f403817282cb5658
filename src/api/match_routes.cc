// POST /api/v1/match: the same fields as `entente match`, answered from the server's shared
// match index. A result the caller may not read says only that a hit exists and whom to ask.
#include <nlohmann/json.hpp>

#include "api/builtin_routes.h"
#include "api/match_core.h"
#include "api/match_service.h"
#include "api/route_util.h"
#include "model/country.h"
#include "model/partial_date.h"

namespace entente::server {
namespace {

Result<MatchQuery> QueryFromBody(const std::string& text) {
  ENTENTE_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonObject(text));
  MatchQuery query;
  ENTENTE_ASSIGN_OR_RETURN(query.name, StringField(body, "name", true));
  if (query.name.empty() || query.name.size() > 300) {
    return InvalidArgument("field name: 1 to 300 characters required");
  }
  ENTENTE_ASSIGN_OR_RETURN(std::string birth_date, StringField(body, "birth_date", false));
  if (!birth_date.empty()) {
    std::string why;
    auto date = PartialDate::Parse(birth_date, &why);
    if (!date) return InvalidArgument("field birth_date: " + why);
    query.birth_date = date;
  }
  ENTENTE_ASSIGN_OR_RETURN(query.nationality, StringField(body, "nationality", false));
  if (!query.nationality.empty()) {
    query.nationality = NormalizeCountryCode(query.nationality);
    if (!IsValidCountryCode(query.nationality)) {
      return InvalidArgument("field nationality: not an ISO 3166 alpha-2 code");
    }
  }
  ENTENTE_ASSIGN_OR_RETURN(query.id_number, StringField(body, "id_number", false));
  if (query.id_number.size() > 64) return InvalidArgument("field id_number: at most 64 characters");
  ENTENTE_ASSIGN_OR_RETURN(std::string type, StringField(body, "type", false));
  if (!type.empty()) {
    auto parsed = ParseEntityType(type);
    if (!parsed || (*parsed != EntityType::kPerson && *parsed != EntityType::kOrganization)) {
      return InvalidArgument("field type: person or organization");
    }
    query.type = parsed;
  }
  if (body.contains("top")) {
    if (!body["top"].is_number_integer()) return InvalidArgument("field top: expected an integer");
    int64_t top = body["top"].get<int64_t>();
    if (top < 1 || top > 100) return InvalidArgument("field top: 1 to 100");
    query.top = static_cast<int>(top);
  }
  if (body.contains("threshold")) {
    if (!body["threshold"].is_number())
      return InvalidArgument("field threshold: expected a number");
    query.threshold = body["threshold"].get<double>();
    if (query.threshold < 0 || query.threshold > 1)
      return InvalidArgument("field threshold: 0 to 1");
  }
  return query;
}

nlohmann::json Restricted(const RecordMeta& meta) {
  return {{"restricted", true},
          {"owner_service", meta.provenance.service},
          {"message", RestrictedMessage(meta)}};
}

HttpResponse Match(RequestContext& ctx, MatchService* service) {
  auto query = QueryFromBody(ctx.request.body);
  if (!query.ok()) return ErrorFromStatus(query.status());
  nlohmann::json items = nlohmann::json::array();
  int64_t restricted = 0;
  std::string engine = "match-index";
  auto matched = MatchThroughPolicy(ctx, service, *query);
  if (!matched.ok() && matched.status().code() != StatusCode::kUnavailable)
    return ErrorFromStatus(matched.status());
  if (matched.ok()) {
    for (const VisibleMatch& hit : matched->visible) {
      const MatchResult& result = hit.result;
      const RecordMeta& meta = hit.entity.meta;
      nlohmann::json factors = nlohmann::json::array();
      for (const MatchFactor& factor : result.factors) {
        factors.push_back({{"factor", factor.factor},
                           {"contribution", factor.contribution},
                           {"detail", factor.detail}});
      }
      items.push_back({{"entity_id", result.entity_id},
                       {"entity_version", result.entity_version},
                       {"source_record_id", result.source_record_id},
                       {"matched_name", result.matched_name},
                       {"score", result.score},
                       {"explanation", result.Explanation()},
                       {"factors", factors},
                       {"tlp", TlpName(meta.marking.tlp)},
                       {"owner_service", meta.provenance.service}});
    }
    for (const RecordMeta& meta : matched->restricted) {
      restricted++;
      items.push_back(Restricted(meta));
    }
  } else {
    // No index (engine not built in, or still building): a plain name search.
    engine = "name-search";
    RecordFilter filter;
    if (query->type) filter.types = {std::string(EntityTypeName(*query->type))};
    auto found = ctx.records.CacheFeed().SearchNames(query->name, filter, query->top);
    if (!found.ok()) return ErrorFromStatus(found.status());
    for (const Entity& entity : *found) {
      if (!ctx.records.policy().CanRead(entity.meta)) {
        restricted++;
        items.push_back(Restricted(entity.meta));
        continue;
      }
      items.push_back({{"entity_id", entity.meta.id},
                       {"entity_version", entity.meta.version},
                       {"source_record_id", entity.meta.provenance.source_record_id},
                       {"matched_name", entity.DisplayName()},
                       {"score", nullptr},
                       {"explanation", "name contains the query text (match index unavailable: " +
                                           matched.status().message() + ")"},
                       {"factors", nlohmann::json::array()},
                       {"tlp", TlpName(entity.meta.marking.tlp)},
                       {"owner_service", entity.meta.provenance.service}});
    }
  }
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.AuditAlone("match", "", "ok",
                                              {{"name", query->name},
                                               {"results", std::to_string(items.size())},
                                               {"restricted", std::to_string(restricted)},
                                               {"engine", engine}}));
  return JsonResponse(200, Dump({{"engine", engine}, {"results", items}}));
}

}  // namespace

Status MountMatchRoutes(Router& router, const BuiltinDeps& deps) {
  MatchService* service = deps.match;
  return router.Add(
      {.method = "POST",
       .pattern = "/api/v1/match",
       .permission = Permission::kMatch,
       .rate_limited = true,
       .openapi =
           OpenApiOp{
               "Find the persons or organizations a description refers to",
               "match",
               {200, 400, 401, 403, 413, 429},
               {},
               R"({"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "birth_date": {"type": "string", "description": "YYYY, YYYY-MM or YYYY-MM-DD"}, "nationality": {"type": "string"}, "id_number": {"type": "string"}, "type": {"type": "string", "enum": ["person", "organization"]}, "top": {"type": "integer", "minimum": 1, "maximum": 100}, "threshold": {"type": "number"}}})",
               R"({"type": "object", "properties": {"engine": {"type": "string"}, "results": {"type": "array", "items": {"type": "object"}}}})"}
               .ToJson(),
       .handler = [service](RequestContext& ctx) { return Match(ctx, service); }});
}

}  // namespace entente::server
