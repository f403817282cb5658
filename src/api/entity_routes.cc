// Entities: get, search, create, update, revoke, history; and store statistics.
// Every record comes from ctx.records (the principal's view; auth/scoped_store.h); reads of AMBER
// and above, searches and writes are audited in the transaction of the action.
#include <nlohmann/json.hpp>

#include "api/builtin_routes.h"
#include "api/match_service.h"
#include "api/route_util.h"
#include "auth/policy.h"
#include "common/ids.h"
#include "model/codec.h"

namespace entente::server {
namespace {

constexpr char kRecordSchema[] = R"({"$ref": "#/components/schemas/Record"})";

Status CheckId(const std::string& id) {
  if (!IsValidStixId(id)) return InvalidArgument("field id: not a STIX id like person--<uuid>");
  return Status::Ok();
}

// Reads `id` if the principal may; NotFound otherwise (an unreadable record does not exist
// for the caller). A refused read is audited.
// What one entity written through the API may hold: a person has a handful of names, not
// thousands, and a name is a name (no control characters, no megabyte strings).
constexpr size_t kMaxNames = 200;
constexpr size_t kMaxNameBytes = 1000;

bool HasControlCharacter(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

Status CheckNameLimits(const Entity& entity) {
  if (entity.names.size() > kMaxNames) {
    return InvalidArgument("field names: at most " + std::to_string(kMaxNames) + " names (got " +
                           std::to_string(entity.names.size()) + ")");
  }
  for (size_t name_idx = 0; name_idx < entity.names.size(); ++name_idx) {
    const std::string& full = entity.names[name_idx].full;
    std::string field = "field names[" + std::to_string(name_idx) + "]";
    if (full.size() > kMaxNameBytes) {
      return InvalidArgument(field + ": longer than " + std::to_string(kMaxNameBytes) + " bytes");
    }
    if (HasControlCharacter(full)) return InvalidArgument(field + ": contains a control character");
  }
  return Status::Ok();
}

// The record if the principal may read it; NotFound "no record <id>" when it is missing or
// hidden (the same answer). An attempt on a hidden record is audited as denied.
Result<Record> ReadVisible(RequestContext& ctx, const std::string& id) {
  Result<Record> record = ctx.records.Get(id);
  if (!record.ok() && record.status().code() == StatusCode::kNotFound) {
    auto hidden = ctx.records.CacheFeed().Get(id);
    if (hidden.ok()) {
      ENTENTE_RETURN_IF_ERROR(
          ctx.AuditAlone("record.read", id, "denied",
                         {{"tlp", std::string(TlpName(MetaOf(*hidden).marking.tlp))}}));
    }
  }
  return record;
}

HttpResponse GetEntity(RequestContext& ctx) {
  const std::string& id = ctx.request.Param("id");
  ENTENTE_HTTP_RETURN_IF_ERROR(CheckId(id));
  auto record = ReadVisible(ctx, id);
  if (!record.ok()) return ErrorFromStatus(record.status());
  const RecordMeta& meta = MetaOf(*record);
  if (meta.marking.tlp >= Tlp::kAmber) {
    ENTENTE_HTTP_RETURN_IF_ERROR(ctx.AuditAlone("record.read", id, "ok",
                                                {{"tlp", std::string(TlpName(meta.marking.tlp))},
                                                 {"version", std::to_string(meta.version)}}));
  }
  return JsonResponse(200, RecordToJson(*record));
}

HttpResponse SearchEntities(RequestContext& ctx) {
  std::string q = ctx.request.Query("q");
  if (q.size() < 2 || q.size() > 200) {
    return ErrorFromStatus(InvalidArgument("field q: 2 to 200 characters required"));
  }
  if (HasControlCharacter(q)) {
    return ErrorFromStatus(InvalidArgument("field q: contains a control character"));
  }
  auto limit = IntQuery(ctx.request, "limit", 20, 1, 100);
  if (!limit.ok()) return ErrorFromStatus(limit.status());
  auto offset = DecodeCursor(ctx.request.Query("cursor"));
  if (!offset.ok()) return ErrorFromStatus(offset.status());
  RecordFilter filter;
  if (ctx.request.HasQuery("type")) {
    std::string type = ctx.request.Query("type");
    if (!ParseEntityType(type))
      return ErrorFromStatus(InvalidArgument("field type: unknown entity type"));
    filter.types = {type};
  }
  if (ctx.request.HasQuery("category")) {
    auto category = ParseThreatCategory(ctx.request.Query("category"));
    if (!category)
      return ErrorFromStatus(InvalidArgument("field category: unknown threat category"));
    filter.category = category;
  }
  // Fetch until enough visible results are found (records the caller may not see are skipped
  // without a trace), at most 5000 raw results deep.
  int64_t withheld = 0;
  auto found = ctx.records.SearchNames(q, filter, *offset + *limit + 1, &withheld);
  if (!found.ok()) return ErrorFromStatus(found.status());
  const std::vector<Entity>& visible = *found;
  nlohmann::json items = nlohmann::json::array();
  for (int64_t item_idx = *offset;
       item_idx < static_cast<int64_t>(visible.size()) && item_idx < *offset + *limit; ++item_idx) {
    items.push_back(nlohmann::json::parse(EntityToJson(visible[item_idx])));
  }
  bool more = static_cast<int64_t>(visible.size()) > *offset + *limit;
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.AuditAlone("search", "", "ok",
                                              {{"q", q},
                                               {"results", std::to_string(items.size())},
                                               {"withheld", std::to_string(withheld)}}));
  nlohmann::json body = {{"items", items},
                         {"next_cursor", more ? nlohmann::json(EncodeCursor(*offset + *limit))
                                              : nlohmann::json(nullptr)}};
  return JsonResponse(200, Dump(body));
}

// Parses an entity body; `path_id` non-empty for updates (the body's id must match or be
// absent). Fills in provenance defaults from the caller.
Result<Entity> EntityFromBody(RequestContext& ctx, const std::string& path_id) {
  ENTENTE_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonObject(ctx.request.body));
  ENTENTE_ASSIGN_OR_RETURN(std::string type_text, StringField(body, "type", true));
  auto type = ParseEntityType(type_text);
  if (!type) return InvalidArgument("field type: unknown entity type '" + type_text + "'");
  ENTENTE_ASSIGN_OR_RETURN(std::string id, StringField(body, "id", false));
  if (!path_id.empty()) {
    if (!id.empty() && id != path_id) return InvalidArgument("field id: does not match the path");
    id = path_id;
  }
  if (id.empty()) id = RandomId(IdPrefixFor(*type));
  body["id"] = id;
  if (!body.contains("provenance")) body["provenance"] = nlohmann::json::object();
  if (!body["provenance"].is_object())
    return InvalidArgument("field provenance: expected an object");
  nlohmann::json& provenance = body["provenance"];
  if (!provenance.contains("service")) provenance["service"] = ctx.principal.service;
  if (!provenance.contains("source")) provenance["source"] = "api";
  if (!provenance.contains("source_record_id")) provenance["source_record_id"] = id;
  for (const char* meta_field : {"version", "change_seq", "created", "modified", "revoked"}) {
    body.erase(meta_field);  // the store sets these
  }
  ENTENTE_ASSIGN_OR_RETURN(Entity entity, EntityFromJson(Dump(body)));
  ENTENTE_RETURN_IF_ERROR(ValidateEntity(entity));
  ENTENTE_RETURN_IF_ERROR(CheckNameLimits(entity));
  return entity;
}

HttpResponse WriteEntity(RequestContext& ctx, const Entity& entity, const char* action,
                         int success_status, MatchService* match) {
  auto writer = ctx.records.BeginWrite();
  if (!writer.ok()) return ErrorFromStatus(writer.status());
  auto outcome = (*writer)->Put(entity);
  if (!outcome.ok()) return ErrorFromStatus(outcome.status());
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.Audit(
      action, entity.meta.id, "ok",
      {{"tlp", std::string(TlpName(entity.meta.marking.tlp))},
       {"version", std::to_string(outcome->version)},
       {"effect", outcome->effect == PutOutcome::Effect::kUnchanged ? "unchanged" : "written"}}));
  ENTENTE_HTTP_RETURN_IF_ERROR((*writer)->Commit());
  if (match && outcome->effect != PutOutcome::Effect::kUnchanged) match->RequestCatchUp();
  auto stored = ctx.records.Get(entity.meta.id);
  if (!stored.ok()) return ErrorFromStatus(stored.status());
  HttpResponse response = JsonResponse(success_status, RecordToJson(*stored));
  response.headers.emplace_back("Location", "/api/v1/entities/" + entity.meta.id);
  return response;
}

HttpResponse CreateEntity(RequestContext& ctx, MatchService* match) {
  // The node makes a new record's id (a random one). A client-chosen id would be an existence
  // oracle: "taken" (by a record the caller may not read) and "free" would answer differently.
  auto body = ParseJsonObject(ctx.request.body);
  if (!body.ok()) return ErrorFromStatus(body.status());
  if (body->contains("id")) {
    return ErrorFromStatus(InvalidArgument(
        "field id: a new record's id is made by the node: send the record without id (to write "
        "a new version of a record, PUT /api/v1/entities/{id})"));
  }
  auto entity = EntityFromBody(ctx, "");
  if (!entity.ok()) return ErrorFromStatus(entity.status());
  return WriteEntity(ctx, *entity, "record.create", 201, match);
}

HttpResponse UpdateEntity(RequestContext& ctx, MatchService* match) {
  const std::string& id = ctx.request.Param("id");
  ENTENTE_HTTP_RETURN_IF_ERROR(CheckId(id));
  auto current = ReadVisible(ctx, id);
  if (!current.ok()) return ErrorFromStatus(current.status());
  if (!std::holds_alternative<Entity>(*current)) {
    return ErrorFromStatus(InvalidArgument("field id: not an entity"));
  }
  std::string if_match = ctx.request.Header("if-match");
  if (!if_match.empty() && if_match != std::to_string(MetaOf(*current).version) &&
      if_match != "\"" + std::to_string(MetaOf(*current).version) + "\"") {
    return ErrorFromStatus(Conflict("record " + id + " is at version " +
                                    std::to_string(MetaOf(*current).version) + ", not " +
                                    if_match));
  }
  auto entity = EntityFromBody(ctx, id);
  if (!entity.ok()) return ErrorFromStatus(entity.status());
  if (entity->type != std::get<Entity>(*current).type) {
    return ErrorFromStatus(InvalidArgument("field type: cannot change an entity's type"));
  }
  return WriteEntity(ctx, *entity, "record.update", 200, match);
}

HttpResponse RevokeEntity(RequestContext& ctx, MatchService* match) {
  const std::string& id = ctx.request.Param("id");
  ENTENTE_HTTP_RETURN_IF_ERROR(CheckId(id));
  auto current = ReadVisible(ctx, id);
  if (!current.ok()) return ErrorFromStatus(current.status());
  auto writer = ctx.records.BeginWrite();
  if (!writer.ok()) return ErrorFromStatus(writer.status());
  auto outcome = (*writer)->Revoke(id);
  if (!outcome.ok()) return ErrorFromStatus(outcome.status());
  ENTENTE_HTTP_RETURN_IF_ERROR(
      ctx.Audit("record.revoke", id, "ok", {{"version", std::to_string(outcome->version)}}));
  ENTENTE_HTTP_RETURN_IF_ERROR((*writer)->Commit());
  if (match) match->RequestCatchUp();
  auto stored = ctx.records.Get(id);
  if (!stored.ok()) return ErrorFromStatus(stored.status());
  return JsonResponse(200, RecordToJson(*stored));
}

HttpResponse EntityHistory(RequestContext& ctx) {
  const std::string& id = ctx.request.Param("id");
  ENTENTE_HTTP_RETURN_IF_ERROR(CheckId(id));
  int64_t withheld = 0;
  auto versions = ctx.records.History(id, &withheld);
  if (!versions.ok()) {
    if (versions.status().code() == StatusCode::kNotFound && ctx.records.CacheFeed().Get(id).ok()) {
      ENTENTE_HTTP_RETURN_IF_ERROR(ctx.AuditAlone("record.history", id, "denied", {}));
    }
    return ErrorFromStatus(versions.status());
  }
  nlohmann::json items = nlohmann::json::array();
  bool sensitive = false;
  for (const Record& version : *versions) {
    sensitive = sensitive || MetaOf(version).marking.tlp >= Tlp::kAmber;
    items.push_back(nlohmann::json::parse(RecordToJson(version)));
  }
  if (sensitive) {
    ENTENTE_HTTP_RETURN_IF_ERROR(
        ctx.AuditAlone("record.history", id, "ok", {{"versions", std::to_string(items.size())}}));
  }
  nlohmann::json body = {{"id", id}, {"versions", items}, {"withheld_versions", withheld}};
  return JsonResponse(200, Dump(body));
}

HttpResponse GetStats(RequestContext& ctx, MatchService* match) {
  auto stats = ctx.records.Stats();
  if (!stats.ok()) return ErrorFromStatus(stats.status());
  auto pairs = [](const std::vector<std::pair<std::string, int64_t>>& items) {
    nlohmann::json object = nlohmann::json::object();
    for (const auto& [name, count] : items) object[name] = count;
    return object;
  };
  nlohmann::json body = {{"records", stats->records},
                         {"revoked", stats->revoked},
                         {"versions", stats->versions},
                         {"max_change_seq", stats->max_change_seq},
                         {"by_type", pairs(stats->by_type)},
                         {"by_category", pairs(stats->by_category)},
                         {"by_source", pairs(stats->by_source)},
                         {"by_service", pairs(stats->by_service)}};
  nlohmann::json index = {{"engine", true}, {"ready", match != nullptr && match->ready()}};
  // The index's own figures count every record of the node, of every marking and owner: they
  // go only to who may see such node-wide facts, by the audit trail's rule (RED, this service).
  if (match && Policy(ctx.principal).CanReadAuditTrail(ctx.node_service).ok()) {
    (void)match->WithIndex([&index](const MatchIndex& built) {
      MatchIndexStats index_stats = built.Stats();
      index["entities"] = index_stats.entities;
      index["applied_seq"] = index_stats.applied_seq;
      return Status::Ok();
    });
  }
  body["match_index"] = index;
  return JsonResponse(200, Dump(body));
}

}  // namespace

Status MountEntityRoutes(Router& router, const BuiltinDeps& deps) {
  MatchService* match = deps.match;
  ENTENTE_RETURN_IF_ERROR(router.Add({.method = "GET",
                                      .pattern = "/api/v1/entities/{id}",
                                      .permission = Permission::kRecordsRead,
                                      .openapi = OpenApiOp{"Get the current version of a record",
                                                           "entities",
                                                           {200, 400, 401, 403, 404},
                                                           {},
                                                           "",
                                                           kRecordSchema}
                                                     .ToJson(),
                                      .handler = GetEntity}));
  ENTENTE_RETURN_IF_ERROR(
      router.Add({.method = "GET",
                  .pattern = "/api/v1/entities",
                  .permission = Permission::kRecordsRead,
                  .rate_limited = true,
                  .openapi = OpenApiOp{"Search records by name (case-insensitive substring)",
                                       "entities",
                                       {200, 400, 401, 403, 429},
                                       {"q:string:text to look for (2 to 200 characters)",
                                        "type:string:entity type (person, organization, ...)",
                                        "category:string:threat category",
                                        "limit:integer:page size, 1 to 100 (default 20)",
                                        "cursor:string:next_cursor of the previous page"},
                                       "",
                                       R"({"$ref": "#/components/schemas/RecordPage"})"}
                                 .ToJson(),
                  .handler = SearchEntities}));
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "POST",
       .pattern = "/api/v1/entities",
       .permission = Permission::kRecordsWrite,
       .openapi =
           OpenApiOp{"Create an entity (its id is made by the node; a body with an id is refused)",
                     "entities",
                     {201, 400, 401, 403, 409, 413},
                     {},
                     kRecordSchema,
                     kRecordSchema}
               .ToJson(),
       .handler = [match](RequestContext& ctx) { return CreateEntity(ctx, match); }}));
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "PUT",
       .pattern = "/api/v1/entities/{id}",
       .permission = Permission::kRecordsWrite,
       .openapi = OpenApiOp{"Write a new version of an entity (If-Match: version, optional)",
                            "entities",
                            {200, 400, 401, 403, 404, 409, 413},
                            {},
                            kRecordSchema,
                            kRecordSchema}
                      .ToJson(),
       .handler = [match](RequestContext& ctx) { return UpdateEntity(ctx, match); }}));
  ENTENTE_RETURN_IF_ERROR(
      router.Add({.method = "DELETE",
                  .pattern = "/api/v1/entities/{id}",
                  .permission = Permission::kRecordsWrite,
                  .openapi = OpenApiOp{"Revoke a record (a new, revoked version)",
                                       "entities",
                                       {200, 400, 401, 403, 404},
                                       {},
                                       "",
                                       kRecordSchema}
                                 .ToJson(),
                  .handler = [match](RequestContext& ctx) { return RevokeEntity(ctx, match); }}));
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "GET",
       .pattern = "/api/v1/entities/{id}/history",
       .permission = Permission::kRecordsRead,
       .openapi =
           OpenApiOp{
               "Every version of a record the caller may read, oldest first",
               "entities",
               {200, 400, 401, 403, 404},
               {},
               "",
               R"({"type": "object", "properties": {"id": {"type": "string"}, "versions": {"type": "array", "items": {"$ref": "#/components/schemas/Record"}}, "withheld_versions": {"type": "integer"}}})"}
               .ToJson(),
       .handler = EntityHistory}));
  return router.Add({.method = "GET",
                     .pattern = "/api/v1/stats",
                     .permission = Permission::kStatsRead,
                     .openapi = OpenApiOp{"Store statistics (counts only) and match index state",
                                          "system",
                                          {200, 401, 403},
                                          {},
                                          "",
                                          R"({"type": "object"})"}
                                    .ToJson(),
                     .handler = [match](RequestContext& ctx) { return GetStats(ctx, match); }});
}

}  // namespace entente::server
