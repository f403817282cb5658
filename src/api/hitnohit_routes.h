// The hit/no-hit endpoints of `entente serve`.
//
// Partner side (mutual TLS only: the partner is the one its client certificate maps to in the
// server's [[partners]]; Permission::kPartnerAccess; its sharing agreement must exist):
//
//   POST /partner/v1/hitnohit                       step one: up to max_batch (<= 1000) queries,
//                                                   plaintext or privacy-preserving (protocol.h);
//                                                   200 with one answer per query; 400 bad
//                                                   request; 403 no agreement, hit/no-hit
//                                                   disabled or the wrong mode; 429 quota or
//                                                   rate exceeded (Retry-After); 503 privacy
//                                                   mode without a configured secret
//   POST /partner/v1/hitnohit/followups             step two: {"reference", "reason",
//                                                   "requested_by"}; 201 {"id", "status"};
//                                                   404 unknown reference; 410 expired
//   GET  /partner/v1/hitnohit/followups/{id}        the request's status, the decision's reason
//                                                   and, once approved, the released objects
//
// Liaison side (bearer tokens; Permission::kExchange):
//
//   GET  /api/v1/hitnohit/followups?status=pending&partner=P     incoming requests
//   POST /api/v1/hitnohit/followups/{id}/decision                {"decision": "approve" |
//                                                                "refuse", "reason": "..."}
//
// Every query answer, follow-up request, decision and release is audited (actions
// hitnohit.query, hitnohit.answer, hitnohit.followup.request|approve|refuse, hitnohit.release,
// hitnohit.release.fetch); a refused query is audited with outcome "denied".
//
// Wiring: api/mount_all.cc mounts the TAXII routes, whose MountHttpRoutes
// calls MountHitNoHitRoutes(router). It is idempotent: routes already present are left alone.
//
// Thread-safety: handlers run concurrently, each on its own database connection; the answer
// engine they share is thread-safe (answer_engine.h).
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "exchange/hitnohit/hitnohit_store.h"
#include "exchange/wire.h"
#include "http/router.h"

namespace entente::exchange::hitnohit {

Status MountHitNoHitRoutes(entente::server::Router& router);

// A follow-up request (received or sent) as the user routes answer it.
nlohmann::json FollowupJson(const FollowupRow& row);

}  // namespace entente::exchange::hitnohit
