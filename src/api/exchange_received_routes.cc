// GET /api/v1/exchange/received and /received/{id}: records received from partners with their
// provenance (exchange_received.h). Three sources, merged newest first by keyset for the list
// (api/exchange_receipts.h) and in one SQL query for one record's receipts:
//   pulled   exchange_received (exchange/received_log.h): signed and verified
//   posted   exchange_objects of the inbound collections and of configured collections with an
//            agreement: verified when the body carries entente's signature, else unsigned
//   refused  exchange_rejections: failed (the reason says why); no record was written
#include <algorithm>
#include <nlohmann/json.hpp>

#include "api/cursor_seal.h"
#include "api/exchange_receipts.h"
#include "api/exchange_received.h"
#include "api/route_util.h"
#include "exchange/exchange_store.h"
#include "exchange/received_log.h"
#include "exchange/signing.h"
#include "exchange/stix_mapping.h"
#include "http/message_codes.h"

namespace entente::server {
namespace {

using nlohmann::json;

// Receipts looked at for one page, at most: a page of a list whose receipts are mostly hidden
// from the caller ends early ("truncated", with a cursor that goes on from there).
constexpr int64_t kMaxScanned = 20000;

// A receipt with what the page shows of its signature.
struct Shown {
  Receipt r;
  std::string signature;  // verified, unsigned, failed
  std::string signer;     // the key id that signed (verified only)
};

// For one record's receipts (the detail page): every source in one query, oldest first.
const char* kUnion =
    "SELECT 'pull', partner, collection, object_id, record_id, version, received_at, signed,"
    " '', '' FROM exchange_received"
    " UNION ALL SELECT 'post', c.partner, o.collection, o.object_id, '', o.version,"
    " o.date_added, -1, '', o.body FROM exchange_objects o JOIN exchange_collections c"
    " ON c.id = o.collection AND c.direction = 'in'"
    " UNION ALL SELECT 'post', t.agreement, o.collection, o.object_id, '', o.version,"
    " o.date_added, -1, '', o.body FROM exchange_objects o JOIN taxii_collections t"
    " ON t.id = o.collection AND t.agreement <> ''"
    " UNION ALL SELECT 'refused', partner, '', object_id, '', '', at, 0, reason, ''"
    " FROM exchange_rejections";

Receipt FromUnionRow(const SqlRow& row) {
  return {row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4),
          row.Text(5), row.Text(6), row.Text(8), row.Text(9), row.Int(7) > 0};
}

Shown Show(Receipt receipt, const std::map<std::string, std::string>& keys) {
  Shown out{std::move(receipt), "", ""};
  Receipt& r = out.r;
  auto key = keys.find(r.partner);
  std::string key_id = key == keys.end() ? "" : key->second;
  if (r.via == "pull") {
    out.signature = r.is_signed ? "verified" : "unsigned";
    if (r.is_signed) out.signer = key_id;
  } else if (r.via == "post") {
    json body = json::parse(r.body, nullptr, false);
    if (body.is_object()) {
      r.record_id = exchange::ModelIdForStix(body);
      out.signature = exchange::SignerOf(body).empty() ? "unsigned" : "verified";
      if (out.signature == "verified") out.signer = key_id;
    }
  } else {
    out.signature = "failed";
  }
  return out;
}

// The record a receipt is about, when the caller may read it. For a refused object (no record
// was written for it), a record with the same id is looked up; `hidden` tells whether one
// exists that the caller may not read (the row is then left out, not even its id shown).
std::optional<Record> RecordOf(RequestContext& ctx, Receipt& r, bool* hidden) {
  *hidden = false;
  std::vector<std::string> candidates;
  if (!r.record_id.empty()) {
    candidates.push_back(r.record_id);
  } else {
    // A refused object's STIX type says little (threat-actor, identity): try every record kind.
    std::string uuid = r.object_id.substr(r.object_id.find("--") + 2);
    for (const char* kind : {"person--", "organization--", "location--", "vehicle--", "event--",
                             "phone--", "identity-document--", "relationship--"})
      candidates.push_back(kind + uuid);
  }
  for (const std::string& id : candidates) {
    auto record = ctx.records.Get(id);
    if (record.ok()) {
      r.record_id = id;
      return *record;
    }
    // Only to hide more, never to show: a record exists that the caller may not read.
    if (ctx.records.CacheFeed().Get(id).ok()) *hidden = true;
  }
  if (r.via != "refused") *hidden = true;  // its record is gone or not readable
  return std::nullopt;
}

json RecordSummary(const Record& record) {
  const RecordMeta& m = MetaOf(record);
  json out = {{"id", m.id},
              {"tlp", TlpName(m.marking.tlp)},
              {"service", m.provenance.service},
              {"revoked", m.revoked}};
  if (const Entity* e = std::get_if<Entity>(&record)) {
    out["type"] = EntityTypeName(e->type);
    out["name"] = e->DisplayName();
  } else {
    out["type"] = "relationship";
    out["name"] = std::string(RelationshipTypeName(std::get<Relationship>(record).type));
  }
  return out;
}

json ReceiptJson(const Shown& shown) {
  const Receipt& r = shown.r;
  json out = {{"via", r.via},
              {"partner", r.partner},
              {"object_id", r.object_id},
              {"received_at", r.at},
              {"signature", shown.signature},
              {"version", r.version},
              {"collection", r.collection.empty() ? json(nullptr) : json(r.collection)}};
  if (!shown.signer.empty()) out["signer_key"] = shown.signer;
  if (!r.reason.empty()) {
    out["reason"] = r.reason;
    AddCode(out, "reason", r.reason);
  }
  return out;
}

// The partner name -> the key id of its public key, for every agreement.
Result<std::map<std::string, std::string>> PartnerKeys(RequestContext& ctx) {
  ENTENTE_RETURN_IF_ERROR(exchange::ExchangeStore::Migrate(ctx.db));
  ENTENTE_RETURN_IF_ERROR(exchange::MigrateReceivedLog(ctx.db));
  ENTENTE_ASSIGN_OR_RETURN(auto all, exchange::ExchangeStore(&ctx.db).ListAgreements());
  std::map<std::string, std::string> keys;
  for (const auto& a : all)
    keys[a.partner.name] =
        a.partner.public_key.empty() ? "" : exchange::KeyIdOf(a.partner.public_key);
  return keys;
}

struct ListFilter {
  std::string partner, signature, via, type, text;
  int64_t limit = 50;
  ReceiptPosition after;
};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

Result<ListFilter> ParseFilter(const HttpRequest& request,
                               const std::map<std::string, std::string>& keys,
                               const CursorSeal& seal) {
  ListFilter f;
  f.partner = request.Query("partner");
  if (!f.partner.empty() && !keys.count(f.partner))
    return InvalidArgument("field partner: no agreement with '" + f.partner + "'");
  f.signature = request.Query("signature");
  if (!f.signature.empty() && f.signature != "verified" && f.signature != "unsigned" &&
      f.signature != "failed")
    return InvalidArgument("field signature: expected verified, unsigned or failed, not '" +
                           f.signature + "'");
  f.via = request.Query("via");
  if (!f.via.empty() && f.via != "pull" && f.via != "post" && f.via != "refused")
    return InvalidArgument("field via: expected pull, post or refused, not '" + f.via + "'");
  f.type = request.Query("type");
  if (!f.type.empty() && f.type != "relationship") {
    auto type = ParseEntityType(f.type);
    if (!type)
      return InvalidArgument(
          "field type: expected an entity type (person, organization, ...) or "
          "relationship, not '" +
          f.type + "'");
    f.type = std::string(EntityTypeName(*type));
  }
  f.text = Lower(request.Query("q"));
  if (f.text.size() > 200) return InvalidArgument("field q: longer than 200 characters");
  ENTENTE_ASSIGN_OR_RETURN(f.limit, IntQuery(request, "limit", 50, 1, 200));
  if (std::string cursor = request.Query("cursor"); !cursor.empty()) {
    ENTENTE_ASSIGN_OR_RETURN(f.after, DecodeReceiptCursor(seal, cursor));
  }
  return f;
}

bool Matches(const ListFilter& f, const Shown& shown, const std::optional<Record>& record) {
  if (!f.signature.empty() && shown.signature != f.signature) return false;
  if (f.type.empty() && f.text.empty()) return true;
  if (!record) return false;
  json summary = RecordSummary(*record);
  if (!f.type.empty() && summary["type"] != f.type) return false;
  return f.text.empty() ||
         Lower(summary["name"].get<std::string>()).find(f.text) != std::string::npos ||
         Lower(MetaOf(*record).id).find(f.text) != std::string::npos;
}

// Which streams a filter reads: a signature of "failed" is only ever a refusal, and
// "verified"/"unsigned" never one.
Result<ReceiptSources> SourcesFor(RequestContext& ctx, const ListFilter& f) {
  ReceiptSources sources;
  sources.partner = f.partner;
  sources.pulls = (f.via.empty() || f.via == "pull") && f.signature != "failed";
  sources.posts = (f.via.empty() || f.via == "post") && f.signature != "failed";
  sources.refusals =
      (f.via.empty() || f.via == "refused") && (f.signature.empty() || f.signature == "failed");
  if (sources.posts) {
    ENTENTE_ASSIGN_OR_RETURN(sources.collections, ReceivingCollections(ctx.db));
  }
  return sources;
}

// Newest first, by keyset: the cursor is the position of the last receipt looked at (shown or
// left out), sealed so that it tells nothing of a hidden one, so a page costs the same at any
// depth. A page stops after kMaxScanned receipts
// looked at; it then says "truncated" and its cursor goes on from there.
HttpResponse ListReceived(RequestContext& ctx) {
  auto keys = PartnerKeys(ctx);
  ENTENTE_HTTP_RETURN_IF_ERROR(keys.status());
  const CursorSeal& seal = CursorSeal::For(ctx.services);
  auto filter = ParseFilter(ctx.request, *keys, seal);
  if (!filter.ok()) return ErrorFromStatus(filter.status());
  auto sources = SourcesFor(ctx, *filter);
  ENTENTE_HTTP_RETURN_IF_ERROR(sources.status());
  ReceiptReader reader(ctx.db, *sources, filter->after);
  json items = json::array();
  int64_t scanned = 0;
  ReceiptPosition scanned_to, shown_to;
  bool more = false;
  while (scanned < kMaxScanned) {
    auto next = reader.Next();
    ENTENTE_HTTP_RETURN_IF_ERROR(next.status());
    if (!*next) break;
    ++scanned;
    ReceiptPosition here{(*next)->at, (*next)->stream, (*next)->key};
    scanned_to = here;
    Shown shown = Show(std::move(**next), *keys);
    bool hidden = false;
    std::optional<Record> record = RecordOf(ctx, shown.r, &hidden);
    if (hidden || !Matches(*filter, shown, record)) continue;
    if (static_cast<int64_t>(items.size()) == filter->limit) {
      more = true;  // one more is shown; the next page starts after the last one given
      break;
    }
    shown_to = here;
    json item = ReceiptJson(shown);
    item["record"] = record ? RecordSummary(*record) : json(nullptr);
    items.push_back(std::move(item));
  }
  bool truncated = !more && scanned >= kMaxScanned;
  json body = {{"items", items}, {"truncated", truncated}};
  if (more) body["next_cursor"] = EncodeReceiptCursor(seal, shown_to);
  if (truncated) body["next_cursor"] = EncodeReceiptCursor(seal, scanned_to);
  return JsonResponse(200, Dump(body));
}

// The receipts of one record: pulls and posts that wrote it, refusals of its object id.
Result<std::vector<Shown>> ReceiptsOf(RequestContext& ctx, const std::string& id,
                                      const std::map<std::string, std::string>& keys) {
  std::string uuid = id.substr(id.find("--") == std::string::npos ? 0 : id.find("--") + 2);
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, ctx.db.Query(std::string("SELECT * FROM (") + kUnion +
                                  ") u WHERE u.record_id = ? OR u.object_id LIKE ? ORDER BY 7 ASC",
                              {id, "%--" + uuid}));
  std::vector<Shown> out;
  for (const SqlRow& row : rows) {
    Shown shown = Show(FromUnionRow(row), keys);
    const Receipt& r = shown.r;
    if (r.via == "refused" ? r.object_id.ends_with("--" + uuid) : r.record_id == id)
      out.push_back(std::move(shown));
  }
  return out;
}

HttpResponse ReceivedDetail(RequestContext& ctx) {
  const std::string id = ctx.request.Param("id");
  auto keys = PartnerKeys(ctx);
  ENTENTE_HTTP_RETURN_IF_ERROR(keys.status());
  auto record = ctx.records.Get(id);  // hidden answers as missing
  ENTENTE_HTTP_RETURN_IF_ERROR(record.status());
  auto receipts = ReceiptsOf(ctx, id, *keys);
  ENTENTE_HTTP_RETURN_IF_ERROR(receipts.status());
  const RecordMeta& m = MetaOf(*record);
  json chain = json::array();
  chain.push_back(
      {{"step", "origin"},
       {"service", m.provenance.service},
       {"source", m.provenance.source},
       {"source_record_id", m.provenance.source_record_id},
       {"grades", std::string(1, m.grades.reliability) + std::to_string(m.grades.credibility)}});
  json list = json::array();
  for (const Shown& r : *receipts) {
    list.push_back(ReceiptJson(r));
    json step = ReceiptJson(r);
    step["step"] = r.r.via == "refused" ? "refused" : "received";
    chain.push_back(step);
  }
  int64_t withheld = 0;
  auto history = ctx.records.History(id, &withheld);
  ENTENTE_HTTP_RETURN_IF_ERROR(history.status());
  json versions = json::array();
  for (const Record& v : *history)
    versions.push_back({{"version", MetaOf(v).version},
                        {"modified", MetaOf(v).modified},
                        {"revoked", MetaOf(v).revoked}});
  json body = {
      {"record", RecordSummary(*record)},
      {"marking", {{"tlp", TlpName(m.marking.tlp)}, {"releasable_to", m.marking.releasable_to}}},
      {"received", !receipts->empty()},
      {"chain", chain},
      {"receipts", list},
      {"versions", versions},
      {"versions_withheld", withheld}};
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.AuditAlone("exchange.received.read", id));
  return JsonResponse(200, Dump(body));
}

const char* kReceiptSchema =
    R"({"type": "object", "properties": {"via": {"type": "string", "enum": ["pull", "post", "refused"]}, "partner": {"type": "string"}, "collection": {"type": ["string", "null"]}, "object_id": {"type": "string"}, "version": {"type": "string"}, "received_at": {"type": "string"}, "signature": {"type": "string", "enum": ["verified", "unsigned", "failed"]}, "signer_key": {"type": "string"}, "reason": {"type": "string"}, "record": {"type": ["object", "null"], "properties": {"id": {"type": "string"}, "type": {"type": "string"}, "name": {"type": "string"}, "tlp": {"type": "string"}, "service": {"type": "string"}, "revoked": {"type": "boolean"}}}}})";

}  // namespace

bool RefusalNamesHiddenRecord(RequestContext& ctx, const std::string& object_id) {
  Receipt r;
  r.via = "refused";
  r.object_id = object_id;
  bool hidden = false;
  (void)RecordOf(ctx, r, &hidden);
  return hidden;
}

Status MountExchangeReceivedRoutes(Router& router) {
  ENTENTE_RETURN_IF_ERROR(router.Add(
      {.method = "GET",
       .pattern = "/api/v1/exchange/received",
       .permission = Permission::kExchange,
       .openapi =
           OpenApiOp{
               "Records received from partners, with provenance and signature status",
               "exchange",
               {200, 400, 401, 403},
               {"partner:string:only this partner (an agreement's name)",
                "signature:string:verified, unsigned or failed",
                "type:string:an entity type (person, organization, ...) or relationship",
                "via:string:pull, post or refused (how it arrived, or that it was refused)",
                "q:string:part of the record's name or id", "limit:integer:1 to 200 (default 50)",
                "cursor:string:next_cursor of the previous page"},
               "",
               std::string(
                   R"({"type": "object", "properties": {"items": {"type": "array", "items": )") +
                   kReceiptSchema +
                   R"(}, "next_cursor": {"type": "string"}, "truncated": {"type": "boolean"}}})"}
               .ToJson(),
       .handler = ListReceived}));
  return router.Add(
      {.method = "GET",
       .pattern = "/api/v1/exchange/received/{id}",
       .permission = Permission::kExchange,
       .openapi =
           OpenApiOp{
               "One received record with its provenance chain (origin, receipts, versions)",
               "exchange",
               {200, 401, 403, 404},
               {},
               "",
               std::string(
                   R"({"type": "object", "properties": {"record": {"type": "object"}, "marking": {"type": "object"}, "received": {"type": "boolean"}, "chain": {"type": "array", "items": {"type": "object"}}, "receipts": {"type": "array", "items": )") +
                   kReceiptSchema +
                   R"(}, "versions": {"type": "array", "items": {"type": "object", "properties": {"version": {"type": "integer"}, "modified": {"type": "string"}, "revoked": {"type": "boolean"}}}}, "versions_withheld": {"type": "integer"}}})"}
               .ToJson(),
       .handler = ReceivedDetail});
}

}  // namespace entente::server
