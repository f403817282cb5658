#include "exchange/partner_sync.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "audit/audit_log.h"
#include "common/crash_point.h"
#include "common/text.h"
#include "exchange/exchange_store.h"
#include "exchange/receive.h"
#include "exchange/received_log.h"
#include "store/record_store.h"

namespace entente::exchange {

using nlohmann::json;

Result<TaxiiEndpoint> EndpointFor(const std::string& partner, Database& db) {
  ExchangeStore xs(&db);
  ENTENTE_ASSIGN_OR_RETURN(Agreement a, xs.GetAgreement(partner));
  const PartnerInfo& p = a.partner;
  if (p.url.empty())
    return InvalidArgument("agreement with " + partner + ": partner.url is not set");
  TaxiiEndpoint e;
  e.url = p.url;
  e.user = p.user;
  if (!p.token_env.empty()) {
    const char* value = std::getenv(p.token_env.c_str());
    if (!value || !*value)
      return InvalidArgument("agreement with " + partner + ": environment variable " + p.token_env +
                             " (partner.token_env) is not set");
    e.token = value;
  } else if (!p.token_file.empty()) {
    std::ifstream in(p.token_file);
    if (!in)
      return NotFound("agreement with " + partner + ": cannot read token_file " + p.token_file);
    std::stringstream text;
    text << in.rdbuf();
    e.token = std::string(Trim(text.str()));
  }
  e.ca_cert = p.ca_cert;
  e.client_cert = p.client_cert;
  e.client_key = p.client_key;
  return e;
}

namespace {

// The collection to pull: `wanted` in whichever API root holds it (the default root first),
// or with none wanted the first readable one of the default root. Sets report->collection
// (empty when none) and returns its root's path.
Result<std::string> FindCollection(TaxiiClient& client, const std::string& wanted,
                                   SyncReport* report) {
  ENTENTE_ASSIGN_OR_RETURN(std::vector<std::string> roots, client.ApiRoots());
  if (wanted.empty()) roots.resize(1);
  for (const std::string& root : roots) {
    ENTENTE_ASSIGN_OR_RETURN(TaxiiReply listed, client.Get(root + "collections/"));
    json collections =
        listed.body.is_object() ? listed.body.value("collections", json::array()) : json::array();
    if (!collections.is_array()) continue;
    for (const json& c : collections) {
      if (!c.is_object() || !c.value("can_read", false) || !c.contains("id") ||
          !c["id"].is_string())
        continue;
      if (wanted.empty() || c["id"].get<std::string>() == wanted) {
        report->collection = c["id"].get<std::string>();
        return root;
      }
    }
  }
  return roots.front();
}

}  // namespace

Result<SyncReport> SyncPartner(Database& db, const std::string& own_service,
                               const std::string& partner, const SyncOptions& options) {
  ExchangeStore xs(&db);
  ENTENTE_ASSIGN_OR_RETURN(Agreement agreement, xs.GetAgreement(partner));
  ENTENTE_RETURN_IF_ERROR(MigrateReceivedLog(db));
  ENTENTE_ASSIGN_OR_RETURN(TaxiiEndpoint endpoint, EndpointFor(partner, db));
  ENTENTE_ASSIGN_OR_RETURN(auto client, TaxiiClient::Connect(endpoint));
  SyncReport report;
  report.partner = partner;
  ENTENTE_ASSIGN_OR_RETURN(std::string api_root,
                           FindCollection(*client, agreement.partner.collection, &report));
  const std::string& wanted = agreement.partner.collection;
  if (report.collection.empty())
    return NotFound(partner + " offers no collection this node may read" +
                    (wanted.empty() ? "" : " with id " + wanted));
  std::string objects_path = api_root + "collections/" + report.collection + "/objects/";
  ReceiveActor actor{options.actor, "local", own_service};
  ReceivePolicy policy;  // unsigned objects only when the agreement accepts them
  policy.accept_unsigned = agreement.accept_unsigned;
  RecordStore store(&db);
  while (options.max_pages == 0 || report.pages < options.max_pages) {
    ENTENTE_ASSIGN_OR_RETURN(SyncCursor cursor, xs.GetCursor(partner));
    std::string query = "limit=" + std::to_string(options.page_size);
    if (!cursor.added_after.empty()) query += "&added_after=" + UrlEncode(cursor.added_after);
    ENTENTE_ASSIGN_OR_RETURN(TaxiiReply page, client->Get(objects_path, query));
    std::vector<json> objects;
    if (page.body.contains("objects") && page.body["objects"].is_array())
      objects = page.body["objects"].get<std::vector<json>>();
    std::string last;
    for (const auto& [key, value] : page.headers)
      if (ToLowerAscii(key) == "x-taxii-date-added-last") last = value;
    if (objects.empty()) break;
    if (last.empty())
      return Corruption(partner + ": a page of objects came without X-TAXII-Date-Added-Last");
    ENTENTE_ASSIGN_OR_RETURN(auto writer, store.BeginWrite());
    ENTENTE_ASSIGN_OR_RETURN(
        ReceiveSummary applied,
        ApplyReceivedObjects(*writer, db, own_service, agreement, objects, actor, policy));
    ENTENTE_RETURN_IF_ERROR(LogPulledObjects(db, partner, report.collection, objects, applied));
    cursor.added_after = last;
    cursor.objects += static_cast<int64_t>(objects.size());
    cursor.rejected += applied.rejected;
    ENTENTE_RETURN_IF_ERROR(xs.PutCursor(cursor));
    server::AuditEvent event{options.actor,
                             "local",
                             own_service,
                             "exchange.pull",
                             partner,
                             "ok",
                             {{"collection", report.collection},
                              {"objects", std::to_string(objects.size())},
                              {"created", std::to_string(applied.created)},
                              {"updated", std::to_string(applied.updated)},
                              {"revoked", std::to_string(applied.revoked)},
                              {"rejected", std::to_string(applied.rejected)},
                              {"cursor", last}}};
    auto audited = server::AuditLog::Append(db, event);
    if (!audited.ok()) return audited.status();
    CrashPoint("sync.page_before_commit");
    ENTENTE_RETURN_IF_ERROR(writer->Commit());
    CrashPoint("sync.page_committed");
    ++report.pages;
    report.objects += static_cast<int64_t>(objects.size());
    report.created += applied.created;
    report.updated += applied.updated;
    report.revoked += applied.revoked;
    report.unchanged += applied.unchanged;
    report.skipped += applied.skipped;
    report.rejected += applied.rejected;
    report.cursor = last;
    if (options.pause_ms_after_page > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(options.pause_ms_after_page));
    if (!page.body.value("more", false)) break;
    if (options.cancel && options.cancel->load()) break;
  }
  return report;
}

}  // namespace entente::exchange
