#include "exchange/receive.h"

#include "audit/audit_log.h"
#include "common/time.h"
#include "exchange/exchange_store.h"
#include "exchange/signing.h"
#include "exchange/stix_mapping.h"
#include "exchange/stix_validate.h"

namespace entente::exchange {
namespace {

using nlohmann::json;

int64_t Millis(const std::string& ts) {
  int64_t m = 0;
  ParseTimestamp(ts, &m);
  return m;
}

}  // namespace

std::string UnsignedSource(const std::string& partner) { return "taxii:" + partner + ":unsigned"; }

bool IsSupportObject(const json& o) {
  std::string id = o.value("id", "");
  std::string type = o.value("type", "");
  if (id == kEntenteIdentityId || id == kEntenteExtensionId) return true;
  if (type == "marking-definition") return true;
  return false;
}

Result<ReceiveSummary> ApplyReceivedObjects(RecordStore::Writer& writer, Database& db,
                                            const std::string& own_service,
                                            const Agreement& agreement,
                                            const std::vector<json>& objects,
                                            const ReceiveActor& actor,
                                            const ReceivePolicy& policy) {
  ReceiveSummary summary;
  ExchangeStore xs(&db);
  RecordStore store(&db);
  const std::string& partner = agreement.partner.name;
  StixImportContext ctx;
  ctx.service = agreement.partner.service;
  ctx.source = "taxii:" + partner;
  ctx.resolve = [&](const std::string& stix_id) -> std::string {
    // Relationship ends of foreign producers: a record of either person/organization prefix.
    std::string uuid = stix_id.substr(stix_id.find("--") + 2);
    for (const char* prefix : {"person--", "organization--", "location--"}) {
      if (store.Get(prefix + uuid).ok()) return prefix + uuid;
    }
    return "";
  };
  auto reject = [&](ReceivedOutcome& out, const std::string& why) -> Status {
    out.ok = false;
    out.message = why;
    ++summary.rejected;
    ENTENTE_RETURN_IF_ERROR(xs.AddRejection(partner, out.id, why));
    server::AuditEvent event{actor.actor,
                             actor.role,
                             actor.service,
                             "exchange.reject",
                             out.id,
                             "denied",
                             {{"partner", partner}, {"reason", why}}};
    auto written = server::AuditLog::Append(db, event);
    return written.ok() ? Status::Ok() : written.status();
  };
  for (const json& o : objects) {
    ReceivedOutcome out;
    out.id = o.is_object() ? o.value("id", std::string("?")) : "?";
    out.version = o.is_object() ? o.value("modified", o.value("created", std::string())) : "";
    if (!o.is_object() || !o.contains("id") || !o["id"].is_string()) {
      ENTENTE_RETURN_IF_ERROR(reject(out, "not a STIX object"));
      summary.outcomes.push_back(out);
      continue;
    }
    Status valid = ValidateStixObject(o);
    if (!valid.ok()) {
      ENTENTE_RETURN_IF_ERROR(reject(out, valid.message()));
      summary.outcomes.push_back(out);
      continue;
    }
    if (IsSupportObject(o)) {
      ++summary.skipped;
      out.message = "support object";
      summary.outcomes.push_back(out);
      continue;
    }
    bool is_unsigned = SignerOf(o).empty();
    if (!is_unsigned || !policy.accept_unsigned) {
      if (agreement.partner.public_key.empty()) {
        ENTENTE_RETURN_IF_ERROR(
            reject(out, "the agreement with " + partner + " has no public_key to verify against"));
        summary.outcomes.push_back(out);
        continue;
      }
      Status signature = VerifyStixObject(agreement.partner.public_key, o);
      if (!signature.ok()) {
        ENTENTE_RETURN_IF_ERROR(reject(out, "signature: " + signature.message()));
        summary.outcomes.push_back(out);
        continue;
      }
      is_unsigned = false;
    }
    std::string why;
    json unsigned_object;
    StixImportContext unsigned_ctx = ctx;
    if (is_unsigned) {
      // Nobody vouches for the extension's provenance and grades: the collection's policy does.
      unsigned_object = o;
      if (unsigned_object.contains("extensions") && unsigned_object["extensions"].is_object())
        unsigned_object["extensions"].erase(kEntenteExtensionId);
      if (unsigned_object.contains("extensions") && unsigned_object["extensions"].empty())
        unsigned_object.erase("extensions");
      unsigned_ctx.source = UnsignedSource(partner);
      unsigned_ctx.grades = policy.unsigned_grades;
    }
    auto mapped = is_unsigned ? StixToRecord(unsigned_object, unsigned_ctx, &why)
                              : StixToRecord(o, ctx, &why);
    if (!mapped.ok()) {
      ENTENTE_RETURN_IF_ERROR(reject(out, mapped.status().message()));
      summary.outcomes.push_back(out);
      continue;
    }
    if (!*mapped) {
      ++summary.skipped;
      out.message = why;
      summary.outcomes.push_back(out);
      continue;
    }
    Record record = std::move(**mapped);
    RecordMeta& meta = MetaOf(record);
    if (meta.provenance.service.empty()) meta.provenance.service = agreement.partner.service;
    auto existing = store.Get(meta.id);
    if (existing.ok()) {
      const RecordMeta& current = MetaOf(*existing);
      if (current.provenance.service == own_service && own_service != agreement.partner.service) {
        ENTENTE_RETURN_IF_ERROR(
            reject(out, "would overwrite " + meta.id + ", a record " + own_service + " owns"));
        summary.outcomes.push_back(out);
        continue;
      }
      if (Millis(current.modified) > Millis(meta.modified)) {
        ++summary.unchanged;
        out.message = "older than the stored version";
        summary.outcomes.push_back(out);
        continue;
      }
    } else if (meta.revoked) {
      ++summary.skipped;
      out.message = "revocation of a record never received";
      summary.outcomes.push_back(out);
      continue;
    }
    auto put = writer.Put(record);
    if (!put.ok()) {
      if (put.status().code() != StatusCode::kInvalidArgument) return put.status();
      ENTENTE_RETURN_IF_ERROR(reject(out, put.status().message()));
      summary.outcomes.push_back(out);
      continue;
    }
    switch (put->effect) {
      case PutOutcome::Effect::kCreated:
        ++summary.created;
        out.message = is_unsigned ? "created (unsigned)" : "created";
        break;
      case PutOutcome::Effect::kUnchanged:
        ++summary.unchanged;
        out.message = "unchanged";
        break;
      case PutOutcome::Effect::kUpdated:
        if (meta.revoked) {
          ++summary.revoked;
          out.message = "revoked";
        } else {
          ++summary.updated;
          out.message = "updated";
        }
        break;
    }
    summary.outcomes.push_back(out);
  }
  return summary;
}

}  // namespace entente::exchange
