#include "exchange/hitnohit/followup.h"

#include <nlohmann/json.hpp>

#include "common/crash_point.h"
#include "common/text.h"
#include "exchange/exchange_store.h"
#include "exchange/signing.h"
#include "exchange/stix_bundle.h"
#include "exchange/stix_mapping.h"

namespace entente::exchange::hitnohit {

Agreement ReleaseAgreement(const Agreement& agreement, const HitNoHitSettings& settings) {
  Agreement release = agreement;
  release.share.all_categories = settings.all_categories;
  release.share.categories = settings.categories;
  release.share.types = settings.types;
  release.share.max_tlp = settings.release_max_tlp;
  release.share.min_reliability = 'F';
  release.share.min_credibility = 6;
  return release;
}

Result<FollowupRow> DecideFollowupRequest(Database& db, const std::string& own_service,
                                          const std::string& id, bool approve,
                                          const std::string& reason,
                                          const server::AuditActor& actor) {
  if (Trim(reason).empty())
    return InvalidArgument("field reason: required: say why the request is approved or refused");
  ENTENTE_RETURN_IF_ERROR(HitNoHitStore::Migrate(db));
  HitNoHitStore hs(&db);
  ENTENTE_ASSIGN_OR_RETURN(FollowupRow row, hs.GetFollowup(id));
  if (row.status != FollowupStatus::kPending)
    return Conflict("follow-up request " + id + " is already " +
                    std::string(FollowupStatusName(row.status)) + " (by " + row.decided_by + ")");

  std::string objects_json = "[]";
  server::AuditDetail detail = {{"partner", row.partner},
                                {"reference", row.reference},
                                {"record", row.entity_id},
                                {"reason", reason}};
  if (approve) {
    ExchangeStore xs(&db);
    ENTENTE_ASSIGN_OR_RETURN(Agreement agreement, xs.GetAgreement(row.partner));
    ENTENTE_ASSIGN_OR_RETURN(HitNoHitSettings settings, hs.LoadSettings(agreement));
    RecordStore store(&db);
    ENTENTE_ASSIGN_OR_RETURN(Record record, store.Get(row.entity_id));
    if (MetaOf(record).revoked)
      return NotFound("record " + row.entity_id + " was revoked since the hit; refuse instead");
    ShareDecision decision = Evaluate(ReleaseAgreement(agreement, settings), own_service, record);
    if (!decision.shared || !decision.outgoing)
      return PermissionDenied("the agreement with " + row.partner +
                              " does not allow releasing this record (" +
                              Join(decision.reasons, "; ") + "); refuse instead");
    ENTENTE_ASSIGN_OR_RETURN(SigningKey key, xs.EnsureNodeKey());
    nlohmann::json object = RecordToStix(*decision.outgoing);
    ENTENTE_RETURN_IF_ERROR(SignStixObject(key, own_service, &object));
    std::vector<nlohmann::json> objects = {object};
    AddSupportingObjects(&objects);
    objects_json = nlohmann::json(objects).dump();
    detail.emplace_back("fields_removed", Join(decision.applied, ","));
  }

  Transaction tx(&db);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_RETURN_IF_ERROR(
      hs.DecideFollowup(id, approve ? FollowupStatus::kApproved : FollowupStatus::kRefused,
                        actor.actor, reason, objects_json));
  server::AuditEvent event{actor.actor,
                           actor.role,
                           actor.service,
                           approve ? "hitnohit.followup.approve" : "hitnohit.followup.refuse",
                           id,
                           "ok",
                           detail};
  ENTENTE_RETURN_IF_ERROR(server::AuditLog::Append(db, event).status());
  if (approve) {
    server::AuditEvent release{actor.actor,
                               actor.role,
                               actor.service,
                               "hitnohit.release",
                               row.entity_id,
                               "ok",
                               {{"partner", row.partner}, {"followup", id}}};
    ENTENTE_RETURN_IF_ERROR(server::AuditLog::Append(db, release).status());
  }
  CrashPoint("hitnohit.followup_before_commit");
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  return hs.GetFollowup(id);
}

}  // namespace entente::exchange::hitnohit
