// Step two on the answering side: a liaison officer decides a partner's follow-up request.
// Approval releases the record the reference stands for, as the agreement allows (its drop
// and redact rules; its category, type and TLP rules widened to the hit/no-hit searchable scope
// up to release_max_tlp, since the liaison's decision is what a follow-up is for), as signed
// STIX objects kept with the request until the partner fetches them. Refusal records why.
// Both are audited in the same transaction as the decision; a request is decided once
// (Conflict for the second decision).
//
// Thread-safety: one call per Database connection at a time.
#pragma once

#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "common/status.h"
#include "exchange/agreement.h"
#include "exchange/hitnohit/hitnohit_store.h"
#include "exchange/hitnohit/settings.h"
#include "store/record_store.h"

namespace entente::exchange::hitnohit {

// The agreement used for releases: `agreement` with its record filters replaced by the
// searchable scope of `settings` and release_max_tlp; field rules unchanged.
Agreement ReleaseAgreement(const Agreement& agreement, const HitNoHitSettings& settings);

// Approves (releasing) or refuses follow-up request `id`. `reason` is required. Errors:
// NotFound (no such request), Conflict (already decided), InvalidArgument (empty reason),
// PermissionDenied on approval when the agreement does not allow releasing the record (the
// message gives every reason; refuse instead), NotFound when the record is gone.
Result<FollowupRow> DecideFollowupRequest(Database& db, const std::string& own_service,
                                          const std::string& id, bool approve,
                                          const std::string& reason,
                                          const server::AuditActor& actor);

}  // namespace entente::exchange::hitnohit
