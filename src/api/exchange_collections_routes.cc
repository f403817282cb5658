// GET /api/v1/exchange/collections (exchange_received.h): the TAXII collections this node
// serves, the two of every agreement (out: what the partner reads; in: where it writes) and
// the configured ones (taxii_collections.h), with who may read and write them and how many
// records they hold that the caller may read. A record above the caller's clearance or outside
// its service is not counted; objects that are not records (support objects, a plain
// collection's objects) are counted only for a caller the collection's grants let read it.
#include <nlohmann/json.hpp>
#include <set>

#include "api/exchange_received.h"
#include "api/route_util.h"
#include "auth/collection_access.h"
#include "exchange/exchange_store.h"
#include "exchange/stix_mapping.h"
#include "exchange/taxii_collections.h"

namespace entente::server {
namespace {

using nlohmann::json;

constexpr int64_t kMaxChecked = 200000;  // records checked per collection, at most

struct Counts {
  int64_t records = 0;  // readable records the collection holds (current objects)
  int64_t other = 0;    // objects that are not records
  bool truncated = false;
};

// The distinct records behind a collection's objects: for outbound collections the shared
// table says which record each object is; for the others the object's body does.
Result<Counts> CountCollection(RequestContext& ctx, const std::string& collection) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, ctx.db.Query("SELECT record_id FROM exchange_shared WHERE collection = ? AND "
                              "revoked = 0",
                              {collection}));
  std::set<std::string> ids;
  for (const SqlRow& row : rows) ids.insert(row.Text(0));
  Counts counts;
  ENTENTE_ASSIGN_OR_RETURN(
      auto objects,
      ctx.db.Query("SELECT object_id, body FROM exchange_objects WHERE collection = ? AND "
                   "object_id NOT IN (SELECT object_id FROM exchange_shared WHERE collection = ?)",
                   {collection, collection}));
  std::set<std::string> others;
  for (const SqlRow& row : objects) {
    json body = json::parse(row.Text(1), nullptr, false);
    std::string id = body.is_object() ? exchange::ModelIdForStix(body) : "";
    if (id.empty()) {
      others.insert(row.Text(0));
    } else {
      ids.insert(id);
    }
  }
  counts.other = static_cast<int64_t>(others.size());
  int64_t checked = 0;
  for (const std::string& id : ids) {
    if (++checked > kMaxChecked) {
      counts.truncated = true;
      break;
    }
    if (ctx.records.Get(id).ok()) counts.records++;
  }
  return counts;
}

json CountsJson(const Counts& c, bool may_see_others) {
  return {{"records", c.records},
          {"other_objects", may_see_others ? json(c.other) : json(nullptr)},
          {"truncated", c.truncated}};
}

Result<json> AgreementCollection(RequestContext& ctx, const exchange::CollectionInfo& c) {
  ENTENTE_ASSIGN_OR_RETURN(Counts counts, CountCollection(ctx, c.id));
  json readers = json::array(), writers = json::array();
  if (c.can_read) readers.push_back("partner:" + c.partner);
  if (c.can_write) writers.push_back("partner:" + c.partner);
  return json{
      {"id", c.id},          {"title", c.title},         {"description", c.description},
      {"kind", "agreement"}, {"direction", c.direction}, {"agreement", c.partner},
      {"readers", readers},  {"writers", writers},       {"objects", CountsJson(counts, true)}};
}

Result<json> ConfiguredCollection(RequestContext& ctx, const exchange::ConfiguredCollection& c) {
  ENTENTE_ASSIGN_OR_RETURN(Counts counts, CountCollection(ctx, c.id));
  json readers = json::array(), writers = json::array();
  std::vector<CollectionGrant> grants;
  for (const exchange::StoredGrant& g : c.grants) {
    if (g.can_read) readers.push_back(g.grantee);
    if (g.can_write) writers.push_back(g.grantee);
    auto parsed = ParseCollectionGrant(
        g.grantee, g.can_read && g.can_write ? "read-write" : (g.can_read ? "read" : "write"));
    if (parsed.ok()) grants.push_back(*parsed);
  }
  bool may_read = DecideCollectionAccess(ctx.principal, grants).can_read;
  return json{{"id", c.id},
              {"title", c.title},
              {"description", c.description},
              {"kind", "configured"},
              {"direction", c.agreement.empty() ? json(nullptr) : json("in-out")},
              {"agreement", c.agreement.empty() ? json(nullptr) : json(c.agreement)},
              {"readers", readers},
              {"writers", writers},
              {"objects", CountsJson(counts, may_read)}};
}

HttpResponse ListCollections(RequestContext& ctx) {
  ENTENTE_HTTP_RETURN_IF_ERROR(exchange::ExchangeStore::Migrate(ctx.db));
  auto own = exchange::ExchangeStore(&ctx.db).ListCollections();
  ENTENTE_HTTP_RETURN_IF_ERROR(own.status());
  auto configured = exchange::ListConfiguredCollections(ctx.db);
  ENTENTE_HTTP_RETURN_IF_ERROR(configured.status());
  json items = json::array();
  for (const auto& c : *own) {
    auto item = AgreementCollection(ctx, c);
    ENTENTE_HTTP_RETURN_IF_ERROR(item.status());
    items.push_back(std::move(*item));
  }
  for (const auto& c : *configured) {
    auto item = ConfiguredCollection(ctx, c);
    ENTENTE_HTTP_RETURN_IF_ERROR(item.status());
    items.push_back(std::move(*item));
  }
  return JsonResponse(200, Dump({{"items", items}}));
}

}  // namespace

Status MountExchangeCollectionRoutes(Router& router) {
  return router.Add(
      {.method = "GET",
       .pattern = "/api/v1/exchange/collections",
       .permission = Permission::kExchange,
       .openapi =
           OpenApiOp{
               "TAXII collections served: agreement, readers and writers, records you may read",
               "exchange",
               {200, 401, 403},
               {},
               "",
               R"({"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"}, "kind": {"type": "string", "enum": ["agreement", "configured"]}, "direction": {"type": ["string", "null"]}, "agreement": {"type": ["string", "null"]}, "readers": {"type": "array", "items": {"type": "string"}}, "writers": {"type": "array", "items": {"type": "string"}}, "objects": {"type": "object", "properties": {"records": {"type": "integer"}, "other_objects": {"type": ["integer", "null"]}, "truncated": {"type": "boolean"}}}}}}}})"}
               .ToJson(),
       .handler = ListCollections});
}

}  // namespace entente::server
