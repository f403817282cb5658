#include "api/taxii_routes.h"

#include <algorithm>
#include <atomic>
#include <nlohmann/json.hpp>

#include "api/hitnohit_routes.h"
#include "api/taxii_routes_access.h"
#include "common/ids.h"
#include "common/text.h"
#include "common/time.h"
#include "exchange/collection.h"
#include "exchange/exchange_store.h"
#include "exchange/receive.h"
#include "exchange/stix_mapping.h"
#include "exchange/stix_validate.h"
#include "exchange/taxii_json.h"
#include "exchange/taxii_roots.h"

namespace entente::exchange {
namespace {

using nlohmann::json;
using server::HttpResponse;
using server::Permission;
using server::RequestContext;
using server::RouteSpec;

HttpResponse TaxiiError(int status, std::string_view title, std::string_view description) {
  json body = {{"title", std::string(title)},
               {"description", std::string(description)},
               {"http_status", std::to_string(status)}};
  HttpResponse r;
  r.status = status;
  r.content_type = kTaxiiMediaType;
  r.body = body.dump();
  if (status == 401) r.headers.push_back({"WWW-Authenticate", "Basic realm=\"entente\""});
  return r;
}

HttpResponse TaxiiFromStatus(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
      return TaxiiError(400, "Bad request", s.message());
    case StatusCode::kUnauthenticated:
      return TaxiiError(401, "Unauthorized", s.message());
    case StatusCode::kPermissionDenied:
      return TaxiiError(403, "Forbidden", s.message());
    case StatusCode::kNotFound:
      return TaxiiError(404, "Not found", s.message());
    case StatusCode::kResourceExhausted:
      return TaxiiError(413, "Too large", s.message());
    case StatusCode::kUnavailable:
      return TaxiiError(503, "Unavailable", "try again later");
    default:
      return TaxiiError(500, "Internal error", "the server could not answer");
  }
}

HttpResponse Taxii(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.content_type = kTaxiiMediaType;
  r.body = body.dump();
  return r;
}

std::string NormalizeMediaType(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c != ' ' && c != '\t')
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  // Drop a quality parameter.
  if (size_t q = out.find(";q="); q != std::string::npos) out.erase(q);
  return out;
}

// TAXII 2.1 §1.6.8: the server answers application/taxii+json;version=2.1; anything the
// client accepts that covers it is fine.
bool AcceptsTaxii(const std::string& accept, bool objects_endpoint) {
  if (accept.empty()) return true;
  for (const std::string& part : SplitNonEmpty(accept, ',')) {
    std::string t = NormalizeMediaType(part);
    if (t == "*/*" || t == "application/*" || t == "application/taxii+json" ||
        t == "application/taxii+json;version=2.1")
      return true;
    if (objects_endpoint && t == "application/stix+json;version=2.1") return true;
  }
  return false;
}

json CollectionJson(const TaxiiAccess& a) {
  const CollectionInfo& c = a.collection;
  return {{"id", c.id},
          {"title", c.title},
          {"description", c.description},
          {"can_read", c.can_read},
          {"can_write", c.can_write},
          {"media_types", a.media_types}};
}

std::vector<std::string> QueryList(const server::HttpRequest& req, const std::string& name) {
  std::vector<std::string> out;
  auto range = req.query.equal_range(name);
  for (auto it = range.first; it != range.second; ++it)
    for (std::string& v : SplitNonEmpty(it->second, ',')) out.push_back(v);
  return out;
}

Result<ObjectQuery> ParseObjectQuery(const server::HttpRequest& req, bool allow_match_id) {
  ObjectQuery q;
  q.limit = 1000;
  if (req.HasQuery("limit")) {
    std::string text = req.Query("limit");
    if (text.empty() || text.size() > 9 ||
        text.find_first_not_of("0123456789") != std::string::npos || std::stoll(text) < 1)
      return InvalidArgument("limit: \"" + text + "\" is not a positive integer");
    q.limit = std::min<int64_t>(std::stoll(text), 10000);
  }
  if (req.HasQuery("added_after")) {
    q.added_after = req.Query("added_after");
    int64_t millis = 0;
    if (!ParseTimestamp(q.added_after, &millis))
      return InvalidArgument("added_after: \"" + q.added_after + "\" is not an RFC 3339 timestamp");
  }
  if (req.HasQuery("next")) {
    std::string text = req.Query("next");
    if (text.empty() || text.size() > 18 ||
        text.find_first_not_of("0123456789") != std::string::npos)
      return InvalidArgument("next: \"" + text + "\" is not a token this server gave");
    q.after_seq = std::stoll(text);
  }
  if (allow_match_id) q.ids = QueryList(req, "match[id]");
  q.types = QueryList(req, "match[type]");
  q.versions = QueryList(req, "match[version]");
  q.spec_versions = QueryList(req, "match[spec_version]");
  for (const auto& [key, value] : req.query) {
    if (key.rfind("match[", 0) == 0 && key != "match[id]" && key != "match[type]" &&
        key != "match[version]" && key != "match[spec_version]")
      return InvalidArgument("unsupported filter " + key);
  }
  return q;
}

void AddDateHeaders(const ObjectPage& page, HttpResponse* r) {
  if (page.objects.empty()) return;
  r->headers.push_back({"X-TAXII-Date-Added-First", page.objects.front().date_added});
  r->headers.push_back({"X-TAXII-Date-Added-Last", page.objects.back().date_added});
}

bool Readable(const RequestContext& ctx, const StoredObject& object) {
  json parsed = json::parse(object.body, nullptr, false);
  return !parsed.is_discarded() && MayReadObject(ctx.principal, parsed);
}

// One page of `query` holding only what the policy lets this caller read (MayReadObject: the
// agreement or the grants decide which collection, the policy which objects in it; a CLEAR
// user gets no AMBER object even when the collection holds AMBER). It reads on past the
// objects it drops, so a page is `limit` readable objects or the rest of the collection: a
// page emptied by the policy check would end a client's paging early (entente sync stops at
// an empty page, and an empty page has no X-TAXII-Date-Added-Last to resume from).
Result<ObjectPage> ReadablePage(const RequestContext& ctx, const std::string& collection,
                                ObjectQuery query) {
  const int64_t want = query.limit;
  query.limit = std::max<int64_t>(want, 1000);
  ObjectPage out;
  while (true) {
    ENTENTE_ASSIGN_OR_RETURN(ObjectPage batch, QueryObjects(ctx.db, collection, query));
    for (size_t i = 0; i < batch.objects.size(); ++i) {
      if (!Readable(ctx, batch.objects[i])) continue;
      if (static_cast<int64_t>(out.objects.size()) == want) {
        out.more = true;  // a readable object follows
        out.next_seq = out.objects.back().seq;
        return out;
      }
      out.objects.push_back(std::move(batch.objects[i]));
    }
    if (!batch.more) break;
    query.after_seq = batch.next_seq;
  }
  if (!out.objects.empty()) out.next_seq = out.objects.back().seq;
  return out;
}

// The objects of a page as a JSON array, from their stored JSON (stored as JSON.dump wrote
// it: no parse and dump again).
std::string ObjectsArray(const ObjectPage& page) {
  size_t size = 2;
  for (const StoredObject& o : page.objects) size += o.body.size() + 1;
  std::string out;
  out.reserve(size);
  out += '[';
  for (size_t i = 0; i < page.objects.size(); ++i) {
    if (i) out += ',';
    out += page.objects[i].body;
  }
  out += ']';
  return out;
}

// Publishes what changed before serving a collection that publishes an agreement's records.
Status Refresh(RequestContext& ctx, const TaxiiAccess& access) {
  if (!access.publishes || !access.agreement) return Status::Ok();
  auto s = PublishOutbound(ctx.db, ctx.node_service, *access.agreement, access.collection.id);
  return s.ok() ? Status::Ok() : s.status();
}

// The exchange tables are created on first use by this process (the server does not know them).
Status EnsureMigrated(Database& db) {
  static std::atomic<bool> done{false};
  if (done.load()) return Status::Ok();
  ENTENTE_RETURN_IF_ERROR(ExchangeStore::Migrate(db));
  done.store(true);
  return Status::Ok();
}

// Whether the caller may know of API root `root`: the default one, or one holding a collection
// the caller can see. A root without one answers as a root that does not exist, so its name
// and title are not learnt by probing.
bool RootVisible(RequestContext& ctx, const std::string& root) {
  if (root == kDefaultApiRoot) return true;
  auto visible = VisibleCollections(ctx, root);
  return visible.ok() && !visible->empty();
}

// The roots the caller may know of, in the order the node lists them.
Result<std::vector<ApiRoot>> VisibleRoots(RequestContext& ctx) {
  ENTENTE_ASSIGN_OR_RETURN(std::vector<ApiRoot> all, ListApiRoots(ctx.db));
  std::vector<ApiRoot> visible;
  for (ApiRoot& r : all)
    if (RootVisible(ctx, r.name)) visible.push_back(std::move(r));
  return visible;
}

// NotFound for an API root this node does not serve, or that the caller may not know of ("" is
// discovery: fine), naming the roots the caller may use.
Status CheckRoot(RequestContext& ctx, const std::string& root) {
  if (root.empty()) return Status::Ok();
  auto known = GetApiRoot(ctx.db, root);
  if (known.ok() && RootVisible(ctx, root)) return Status::Ok();
  if (!known.ok() && known.status().code() != StatusCode::kNotFound) return known.status();
  auto visible = VisibleRoots(ctx);
  std::string names;
  for (const ApiRoot& r : visible.ok() ? *visible : std::vector<ApiRoot>{})
    names += (names.empty() ? "" : ", ") + ApiRootPath(r.name);
  return NotFound("no API root " + root + " (this server has " + names + ")");
}

const std::string& RootOf(const RequestContext& ctx) { return ctx.request.Param("root"); }

// Every TAXII handler: the exchange tables, the API root, then (GETs) the Accept header.
template <typename F>
server::RouteHandler Guarded(bool objects_endpoint, F f, bool check_accept = true) {
  return [objects_endpoint, f, check_accept](RequestContext& ctx) -> HttpResponse {
    if (Status m = EnsureMigrated(ctx.db); !m.ok()) return TaxiiFromStatus(m);
    if (Status r = CheckRoot(ctx, RootOf(ctx)); !r.ok()) return TaxiiFromStatus(r);
    if (check_accept && !AcceptsTaxii(ctx.request.Header("accept"), objects_endpoint))
      return TaxiiError(406, "Not acceptable",
                        std::string("this server answers ") + kTaxiiMediaType);
    return f(ctx);
  };
}

RouteSpec Route(std::string method, std::string pattern, std::string summary,
                server::RouteHandler handler) {
  RouteSpec spec;
  spec.method = std::move(method);
  spec.pattern = std::move(pattern);
  spec.permission = Permission::kCollectionAccess;
  spec.auth = server::kAuthBasic | server::kAuthBearer | server::kAuthClientCert;
  spec.openapi = json({{"summary", summary},
                       {"tags", json::array({"taxii"})},
                       {"responses",
                        {{"200", {{"description", "TAXII resource"}}},
                         {"400", {{"description", "bad query"}}},
                         {"401", {{"description", "no or bad credentials"}}},
                         {"403", {{"description", "not this caller's collection"}}},
                         {"404", {{"description", "no such collection, object or status"}}},
                         {"406", {{"description", "Accept does not cover TAXII 2.1"}}},
                         {"413", {{"description", "body too large"}}},
                         {"415", {{"description", "Content-Type is not TAXII/STIX 2.1"}}},
                         {"422", {{"description", "objects could not be processed"}}},
                         {"429", {{"description", "rate limit"}}}}}})
                     .dump();
  spec.handler = std::move(handler);
  spec.error_formatter = [](int status, std::string_view code, std::string_view message,
                            std::string_view) { return TaxiiError(status, code, message); };
  return spec;
}

HttpResponse Discovery(RequestContext& ctx) {
  auto roots = VisibleRoots(ctx);
  if (!roots.ok()) return TaxiiFromStatus(roots.status());
  json paths = json::array();
  for (const ApiRoot& r : *roots) paths.push_back(ApiRootPath(r.name));
  json body = {{"title", "entente TAXII 2.1 server (" + ctx.node_service + ")"},
               {"description", "Intelligence shared under bilateral agreements"},
               {"default", ApiRootPath(kDefaultApiRoot)},
               {"api_roots", paths}};
  return Taxii(200, body);
}

HttpResponse ApiRootInfo(RequestContext& ctx) {
  auto root = GetApiRoot(ctx.db, RootOf(ctx));
  if (!root.ok()) return TaxiiFromStatus(root.status());
  json body = {{"title", root->title},
               {"description", root->description + " (" + ctx.node_service + ")"},
               {"versions", json::array({kTaxiiMediaType})},
               {"max_content_length", kTaxiiMaxContentLength}};
  return Taxii(200, body);
}

HttpResponse Collections(RequestContext& ctx) {
  auto all = VisibleCollections(ctx, RootOf(ctx));
  if (!all.ok()) return TaxiiFromStatus(all.status());
  json list = json::array();
  for (const TaxiiAccess& a : *all) list.push_back(CollectionJson(a));
  json body = json::object();
  if (!list.empty()) body["collections"] = list;
  return Taxii(200, body);
}

HttpResponse OneCollection(RequestContext& ctx) {
  auto access = ResolveCollection(ctx, RootOf(ctx), ctx.request.Param("collection"));
  if (!access.ok()) return TaxiiFromStatus(access.status());
  return Taxii(200, CollectionJson(*access));
}

// The partner of the agreement a collection works under ("" for a plain configured one).
std::string PartnerOf(const TaxiiAccess& access) {
  return access.agreement ? access.agreement->partner.name : "";
}

HttpResponse GetObjects(RequestContext& ctx, bool by_id) {
  auto access = CollectionFor(ctx, RootOf(ctx), ctx.request.Param("collection"), false);
  if (!access.ok()) return TaxiiFromStatus(access.status());
  ENTENTE_HTTP_RETURN_IF_ERROR(Refresh(ctx, *access));
  auto query = ParseObjectQuery(ctx.request, !by_id);
  if (!query.ok()) return TaxiiFromStatus(query.status());
  if (by_id) query->ids = {ctx.request.Param("object")};
  auto page = ReadablePage(ctx, access->collection.id, *query);
  if (!page.ok()) return TaxiiFromStatus(page.status());
  if (by_id && page->objects.empty() && query->after_seq == 0 && query->added_after.empty())
    return TaxiiError(404, "Not found",
                      "no object " + ctx.request.Param("object") + " in this collection");
  HttpResponse r;
  r.content_type = kTaxiiMediaType;
  r.body = std::string("{\"more\":") + (page->more ? "true" : "false");
  if (page->more) r.body += ",\"next\":\"" + std::to_string(page->next_seq) + "\"";
  r.body += ",\"objects\":" + ObjectsArray(*page) + "}";
  AddDateHeaders(*page, &r);
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.AuditAlone("exchange.serve", access->collection.id, "ok",
                                              {{"partner", PartnerOf(*access)},
                                               {"objects", std::to_string(page->objects.size())},
                                               {"next", std::to_string(page->next_seq)}}));
  return r;
}

HttpResponse Versions(RequestContext& ctx) {
  auto access = CollectionFor(ctx, RootOf(ctx), ctx.request.Param("collection"), false);
  if (!access.ok()) return TaxiiFromStatus(access.status());
  ENTENTE_HTTP_RETURN_IF_ERROR(Refresh(ctx, *access));
  auto query = ParseObjectQuery(ctx.request, false);
  if (!query.ok()) return TaxiiFromStatus(query.status());
  query->ids = {ctx.request.Param("object")};
  query->versions = {"all"};
  auto page = ReadablePage(ctx, access->collection.id, *query);
  if (!page.ok()) return TaxiiFromStatus(page.status());
  if (page->objects.empty() && query->after_seq == 0 && query->added_after.empty())
    return TaxiiError(404, "Not found",
                      "no object " + ctx.request.Param("object") + " in this collection");
  json versions = json::array();
  for (const StoredObject& o : page->objects) versions.push_back(o.version);
  json body = {{"more", page->more}, {"versions", versions}};
  if (page->more) body["next"] = std::to_string(page->next_seq);
  HttpResponse r = Taxii(200, body);
  AddDateHeaders(*page, &r);
  return r;
}

HttpResponse Manifest(RequestContext& ctx) {
  auto access = CollectionFor(ctx, RootOf(ctx), ctx.request.Param("collection"), false);
  if (!access.ok()) return TaxiiFromStatus(access.status());
  ENTENTE_HTTP_RETURN_IF_ERROR(Refresh(ctx, *access));
  auto query = ParseObjectQuery(ctx.request, true);
  if (!query.ok()) return TaxiiFromStatus(query.status());
  auto page = ReadablePage(ctx, access->collection.id, *query);
  if (!page.ok()) return TaxiiFromStatus(page.status());
  json objects = json::array();
  for (const StoredObject& o : page->objects)
    objects.push_back({{"id", o.id},
                       {"date_added", o.date_added},
                       {"version", o.version},
                       {"media_type", kStixMediaType}});
  json body = {{"more", page->more}, {"objects", objects}};
  if (page->more) body["next"] = std::to_string(page->next_seq);
  HttpResponse r = Taxii(200, body);
  AddDateHeaders(*page, &r);
  return r;
}

// A collection under no agreement keeps what it is given, once valid and marked within the
// writer's clearance (as for a record, auth/policy.h): no record is made.
Result<ReceiveSummary> ValidateOnly(const RequestContext& ctx, const std::vector<json>& objects) {
  ReceiveSummary summary;
  for (const json& o : objects) {
    ReceivedOutcome out;
    out.id = o.is_object() ? o.value("id", std::string("?")) : "?";
    Status valid = o.is_object() ? ValidateStixObject(o) : InvalidArgument("not a STIX object");
    if (valid.ok() && !MayReadObject(ctx.principal, o))
      valid = PermissionDenied("marked above the clearance or outside the service of " +
                               ctx.principal.user);
    out.ok = valid.ok();
    out.message = valid.ok() ? "kept" : valid.message();
    summary.outcomes.push_back(out);
  }
  return summary;
}

HttpResponse PostObjects(RequestContext& ctx) {
  // TAXII 2.1 says an envelope as application/taxii+json. OpenCTI's TAXII POST connector
  // sends a STIX bundle as application/stix+json;version=2.1: its "objects" are taken the same.
  std::string content_type = NormalizeMediaType(ctx.request.Header("content-type"));
  if (content_type != kTaxiiMediaType && content_type != kStixMediaType)
    return TaxiiError(415, "Unsupported media type",
                      std::string("POST bodies must be ") + kTaxiiMediaType + " (or a bundle as " +
                          kStixMediaType + ")");
  if (!AcceptsTaxii(ctx.request.Header("accept"), false))
    return TaxiiError(406, "Not acceptable", std::string("this server answers ") + kTaxiiMediaType);
  auto access = CollectionFor(ctx, RootOf(ctx), ctx.request.Param("collection"), true);
  if (!access.ok()) return TaxiiFromStatus(access.status());
  if (ctx.request.body.size() > kTaxiiMaxContentLength)
    return TaxiiError(413, "Too large", "the envelope exceeds max_content_length");
  if (Status depth = CheckJsonDepth(ctx.request.body); !depth.ok())
    return TaxiiError(400, "Bad request", depth.message());
  json envelope = json::parse(ctx.request.body, nullptr, false);
  if (envelope.is_discarded()) return TaxiiError(400, "Bad request", "the body is not JSON");
  if (!envelope.is_object() || !envelope.contains("objects") || !envelope["objects"].is_array())
    return TaxiiError(422, "Unprocessable",
                      "expected a TAXII envelope (or a STIX bundle) with an objects list");
  std::vector<json> objects = envelope["objects"].get<std::vector<json>>();
  std::string request_timestamp = NowTimestamp();
  RecordStore store(&ctx.db);
  auto writer = store.BeginWrite();
  if (!writer.ok()) return TaxiiFromStatus(writer.status());
  ReceiveActor actor{ctx.principal.user, std::string(server::RoleName(ctx.principal.role)),
                     ctx.principal.service};
  // A standard STIX producer signs nothing: its objects are stored as unsigned (provenance
  // says so); an entente-signed object is still verified.
  ReceivePolicy policy;
  policy.accept_unsigned = true;
  auto summary = access->agreement
                     ? ApplyReceivedObjects(**writer, ctx.db, ctx.node_service, *access->agreement,
                                            objects, actor, policy)
                     : ValidateOnly(ctx, objects);
  if (!summary.ok()) return TaxiiFromStatus(summary.status());
  std::vector<json> accepted;
  for (size_t i = 0; i < summary->outcomes.size(); ++i)
    if (summary->outcomes[i].ok) accepted.push_back(objects[i]);
  auto versions = AppendReceivedObjects(ctx.db, access->collection.id, accepted);
  if (!versions.ok()) return TaxiiFromStatus(versions.status());
  json successes = json::array(), failures = json::array();
  for (size_t i = 0, next = 0; i < summary->outcomes.size(); ++i) {
    const ReceivedOutcome& o = summary->outcomes[i];
    json entry = {{"id", o.id}, {"version", o.version}};
    if (o.ok) {
      entry["version"] = (*versions)[next++];
      if (!o.message.empty()) entry["message"] = o.message;
      successes.push_back(entry);
    } else {
      entry["message"] = o.message;
      failures.push_back(entry);
    }
  }
  std::string status_id = RandomId("status").substr(8);
  json status = {{"id", status_id},
                 {"status", "complete"},
                 {"request_timestamp", request_timestamp},
                 {"total_count", objects.size()},
                 {"success_count", successes.size()},
                 {"failure_count", failures.size()},
                 {"pending_count", 0}};
  if (!successes.empty()) status["successes"] = successes;
  if (!failures.empty()) status["failures"] = failures;
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.db.Execute(
      "INSERT INTO exchange_status (id, collection, partner, created, body) VALUES (?,?,?,?,?)",
      {status_id, access->collection.id, access->owner, request_timestamp, status.dump()}));
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.Audit("exchange.receive", access->collection.id, "ok",
                                         {{"partner", PartnerOf(*access)},
                                          {"total", std::to_string(objects.size())},
                                          {"failures", std::to_string(failures.size())}}));
  ENTENTE_HTTP_RETURN_IF_ERROR((*writer)->Commit());
  return Taxii(202, status);
}

HttpResponse DeleteObject(RequestContext& ctx) {
  auto access = CollectionFor(ctx, RootOf(ctx), ctx.request.Param("collection"), true);
  if (!access.ok()) return TaxiiFromStatus(access.status());
  std::vector<std::string> versions = QueryList(ctx.request, "match[version]");
  Transaction tx(&ctx.db);
  ENTENTE_HTTP_RETURN_IF_ERROR(tx.status());
  auto deleted =
      DeleteObjects(ctx.db, access->collection.id, ctx.request.Param("object"), versions);
  if (!deleted.ok()) return TaxiiFromStatus(deleted.status());
  ENTENTE_HTTP_RETURN_IF_ERROR(
      ctx.Audit("exchange.delete", ctx.request.Param("object"), "ok",
                {{"partner", PartnerOf(*access)}, {"versions", std::to_string(*deleted)}}));
  ENTENTE_HTTP_RETURN_IF_ERROR(tx.Commit());
  HttpResponse r;
  r.status = 200;
  r.content_type = kTaxiiMediaType;
  return r;
}

HttpResponse GetStatus(RequestContext& ctx) {
  auto rows = ctx.db.Query("SELECT partner, body, collection FROM exchange_status WHERE id = ?",
                           {ctx.request.Param("status")});
  if (!rows.ok()) return TaxiiFromStatus(rows.status());
  std::vector<std::string> owners = StatusOwners(ctx);
  bool mine =
      !rows->empty() && std::find(owners.begin(), owners.end(), (*rows)[0].Text(0)) != owners.end();
  // A status belongs to the root of the collection posted to: another root does not have it.
  if (mine) {
    auto home = RootOfCollection(ctx.db, (*rows)[0].Text(2));
    mine = home.ok() && *home == RootOf(ctx);
  }
  if (!mine) return TaxiiError(404, "Not found", "no status " + ctx.request.Param("status"));
  return Taxii(200, json::parse((*rows)[0].Text(1)));
}

// The TAXII routes (what MountHttpRoutes registers, less the catch-alls).
std::vector<RouteSpec> TaxiiRoutes() {
  const std::string root = "/taxii2/{root}";
  const std::string coll = root + "/collections/{collection}";
  std::vector<RouteSpec> routes;
  routes.push_back(Route("GET", "/taxii2", "TAXII discovery", Guarded(false, Discovery)));
  routes.push_back(Route("GET", root, "TAXII API root", Guarded(false, ApiRootInfo)));
  routes.push_back(
      Route("GET", root + "/collections", "TAXII collections", Guarded(false, Collections)));
  routes.push_back(Route("GET", coll, "TAXII collection", Guarded(false, OneCollection)));
  routes.push_back(Route("GET", coll + "/objects", "TAXII objects",
                         Guarded(true, [](RequestContext& c) { return GetObjects(c, false); })));
  // POST checks its media types itself (415 before 406).
  RouteSpec post = Route("POST", coll + "/objects", "TAXII add objects",
                         Guarded(false, PostObjects, /*check_accept=*/false));
  post.max_body = kTaxiiMaxContentLength;
  routes.push_back(std::move(post));
  routes.push_back(Route("GET", coll + "/objects/{object}", "TAXII object",
                         Guarded(true, [](RequestContext& c) { return GetObjects(c, true); })));
  routes.push_back(Route("DELETE", coll + "/objects/{object}", "TAXII delete object",
                         Guarded(false, DeleteObject)));
  routes.push_back(Route("GET", coll + "/objects/{object}/versions", "TAXII object versions",
                         Guarded(false, Versions)));
  routes.push_back(Route("GET", coll + "/manifest", "TAXII manifest", Guarded(false, Manifest)));
  routes.push_back(
      Route("GET", root + "/status/{status}", "TAXII status", Guarded(false, GetStatus)));
  return routes;
}

// The TAXII routes alone, to tell an unknown TAXII path (404) from a known one asked with
// another method (405).
const server::Router& TaxiiTable() {
  static const server::Router* table = [] {
    auto* r = new server::Router();
    for (RouteSpec& spec : TaxiiRoutes()) (void)r->Add(std::move(spec));
    return r;
  }();
  return *table;
}

// Any other path under /taxii2: a TAXII error message, never the API's JSON error.
HttpResponse Unmatched(RequestContext& ctx) {
  if (Status m = EnsureMigrated(ctx.db); !m.ok()) return TaxiiFromStatus(m);
  server::RouteMatch match = TaxiiTable().Resolve(ctx.request.method, ctx.request.path);
  if (!match.allowed_methods.empty()) {
    std::string allow;
    for (const std::string& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
    HttpResponse r = TaxiiError(405, "Method not allowed",
                                ctx.request.method + " is not allowed here; allowed: " + allow);
    r.headers.push_back({"Allow", allow});
    return r;
  }
  std::vector<std::string> segments = server::SplitPath(ctx.request.path);
  if (segments.size() >= 2 && !segments[1].empty()) {
    if (Status r = CheckRoot(ctx, segments[1]); !r.ok()) return TaxiiFromStatus(r);
  }
  return TaxiiError(404, "Not found", "no TAXII endpoint " + ctx.request.path);
}

// Catch-alls for every method and depth under /taxii2 (literal segments win, so the real
// routes still answer their paths).
std::vector<RouteSpec> CatchAllRoutes() {
  std::vector<RouteSpec> out;
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    std::string pattern = "/taxii2";
    for (int depth = 0; depth <= 8; ++depth) {
      // The first segment is named as the real routes name it, so that the OpenAPI document
      // has one path /taxii2/{root}, not two that differ only by a parameter's name.
      if (depth == 1) pattern += "/{root}";
      if (depth > 1) pattern += "/{p" + std::to_string(depth) + "}";
      // GET /taxii2 is discovery and GET /taxii2/{root} an API root: real routes.
      if (depth <= 1 && std::string(method) == "GET") continue;
      RouteSpec spec = Route(method, pattern, "TAXII: any other path (a TAXII error)", Unmatched);
      spec.openapi = json({{"summary", "Any other TAXII path: a TAXII error message"},
                           {"tags", json::array({"taxii"})},
                           {"responses",
                            {{"401", {{"description", "no or bad credentials"}}},
                             {"403", {{"description", "role without collections.access"}}},
                             {"404", {{"description", "no such TAXII endpoint or API root"}}},
                             {"405", {{"description", "known path, other method"}}},
                             {"413", {{"description", "body too large"}}},
                             {"429", {{"description", "rate limit"}}}}}})
                         .dump();
      out.push_back(std::move(spec));
    }
  }
  return out;
}

}  // namespace

Status MountHttpRoutes(server::Router& router) {
  for (RouteSpec& r : TaxiiRoutes()) ENTENTE_RETURN_IF_ERROR(router.Add(std::move(r)));
  for (RouteSpec& r : CatchAllRoutes()) ENTENTE_RETURN_IF_ERROR(router.Add(std::move(r)));
  // The hit/no-hit endpoints live in exchange/hitnohit; the server mounts only this function.
  return hitnohit::MountHitNoHitRoutes(router);
}

}  // namespace entente::exchange
