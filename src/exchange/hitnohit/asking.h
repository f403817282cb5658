// The asking side: sends hit/no-hit queries and follow-up requests to a partner's node over
// HTTPS with mutual TLS, and takes in what an approved follow-up releases.
//
// The partner's address and credentials come from this node's agreement with it
// (exchange/agreement.h [partner]: url, ca_cert, client_cert, client_key); whether to encode
// queries, and with which secret, from its [hitnohit] table (settings.h). Every query sent,
// answer received, request made and record received is audited here too (actions
// hitnohit.ask, hitnohit.followup.sent, hitnohit.release.received).
//
// Released records go through the exchange's receive path (exchange/receive.h): their
// signature is verified against the partner's public key from the agreement, and they are
// stored with the partner's provenance and markings.
//
// Thread-safety: one call per Database connection at a time.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "common/status.h"
#include "exchange/hitnohit/hitnohit_store.h"
#include "exchange/hitnohit/protocol.h"
#include "store/database.h"

namespace entente::exchange::hitnohit {

struct AskOptions {
  enum class Mode { kAuto, kPlain, kPrivate };
  // kAuto: private when the agreement sets privacy to allowed/required and a secret is
  // available, else plain.
  Mode mode = Mode::kAuto;
  // Sees each request (path and body) exactly as it is sent (tests capture the wire with it).
  std::function<void(std::string_view path, std::string_view body)> on_send;
  int timeout_seconds = 60;
};

struct AskAnswer {
  std::string label;   // the caller's id for the query
  std::string result;  // "hit", "no-hit", "invalid" (or "not-sent" when it could not be encoded)
  std::string reference;
  std::string band;
  std::string expires;
  std::string error;
};

struct AskReport {
  std::string mode;                // "plain" or "private"
  std::vector<AskAnswer> answers;  // one per query, in order
};

// Sends `queries` to `partner` in batches of at most kMaxQueriesPerRequest. Errors: NotFound
// (no agreement), InvalidArgument (agreement lacks url or certificates; private mode without a
// secret), the partner's answer as a Status (ResourceExhausted for 429, PermissionDenied for
// 403, ...) and Unavailable when it cannot be reached. Batches answered before an error are
// lost to the caller but audited.
Result<AskReport> Ask(Database& db, const std::string& partner,
                      const std::vector<AskQuery>& queries, const AskOptions& options,
                      const server::AuditActor& actor);

// Step two: asks `partner` for the details behind `reference`. Returns the stored outgoing
// request (its id is the partner's). NotFound for an unknown reference (and for an expired
// one, with "expired" in the message).
Result<FollowupRow> RequestFollowup(Database& db, const std::string& partner,
                                    const std::string& reference, const std::string& reason,
                                    const server::AuditActor& actor,
                                    const AskOptions& options = {});

struct FetchSummary {
  int64_t checked = 0;
  int64_t approved = 0;
  int64_t refused = 0;
  int64_t pending = 0;
  int64_t records = 0;             // records created or updated from releases
  std::vector<std::string> lines;  // one line per request, for people
};

// Asks each partner (or only `partner`) about this node's pending follow-up requests; stores
// released records (verified, with provenance) and the decisions.
Result<FetchSummary> FetchFollowups(Database& db, const std::string& own_service,
                                    const std::string& partner, const server::AuditActor& actor,
                                    const AskOptions& options = {});

}  // namespace entente::exchange::hitnohit
