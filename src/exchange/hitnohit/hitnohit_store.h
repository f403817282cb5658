// The hit/no-hit tables (migration component "hitnohit"), beside the record store:
//
//   hitnohit_node        one row: a random id naming this database (keys the in-memory engine)
//   hitnohit_settings    per partner: an override of the agreement's [hitnohit] table
//   hitnohit_refs        answering side: each hit's opaque reference -> the record it stands
//                        for, the partner it was given to, its band and expiry
//   hitnohit_usage       answering side: queries per partner per UTC day, requests per minute
//   hitnohit_followups   answering side: follow-up requests from partners, the liaison's
//                        decision and, once approved, the released STIX objects
//   hitnohit_outgoing    asking side: follow-up requests this node sent, and their outcome
//
// Writes that must commit with their audit entries take the caller's open write transaction
// (marked REQUIRES below). Times are RFC 3339 UTC text; expiry is also kept as epoch seconds
// for comparisons that work the same on SQLite and PostgreSQL.
//
// Thread-safety: one HitNoHitStore per Database connection, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "exchange/agreement.h"
#include "exchange/hitnohit/settings.h"
#include "store/database.h"

namespace entente::exchange::hitnohit {

struct ReferenceRow {
  std::string reference;
  std::string partner;
  std::string entity_id;
  std::string band;
  std::string mode;  // "plain" or "private"
  std::string created;
  int64_t expires_at = 0;  // epoch seconds
};

enum class FollowupStatus { kPending, kApproved, kRefused, kReceived };
std::string_view FollowupStatusName(FollowupStatus status);
std::optional<FollowupStatus> ParseFollowupStatus(std::string_view text);

struct FollowupRow {
  std::string id;
  std::string partner;
  std::string reference;
  std::string entity_id;     // answering side only
  std::string reason;        // why the partner asks
  std::string requested_by;  // the partner's officer, as it told us / our user
  FollowupStatus status = FollowupStatus::kPending;
  std::string decided_by;
  std::string decision_reason;
  std::string created;
  std::string decided;
  std::string objects_json;  // approved: the released STIX objects (a JSON array)
};

class HitNoHitStore {
 public:
  explicit HitNoHitStore(Database* db) : db_(db) {}
  // Creates the tables (and the exchange's and the audit trail's). Idempotent.
  static Status Migrate(Database& db);
  // Migrate() only when this database has no node id yet: one SELECT on the hot path (request
  // handlers). Schema upgrades happen through Migrate() (every `entente` command runs it).
  static Status EnsureMigrated(Database& db);

  // This database's id (created by Migrate).
  Result<std::string> NodeId();

  // The settings for the agreement's partner: the stored override when present, else the
  // agreement's own [hitnohit] table.
  Result<HitNoHitSettings> LoadSettings(const Agreement& agreement);
  // Validates `toml_text` (a [hitnohit] table) against `agreement` and stores it.
  Status PutSettingsText(const Agreement& agreement, const std::string& toml_text);
  Status DeleteSettings(const std::string& partner);

  // Quota and rate: counts `queries` against today's quota and one request against this
  // minute's rate. ResourceExhausted (saying which limit and when it resets) when either would
  // be exceeded; nothing is counted then. REQUIRES: a write transaction is open.
  Status ConsumeQuota(const std::string& partner, const HitNoHitSettings& settings, int64_t queries,
                      int64_t now_seconds);

  // REQUIRES: a write transaction is open.
  Status PutReference(const ReferenceRow& row);
  // NotFound when unknown or given to another partner (the same answer: a partner cannot
  // probe for other partners' references).
  Result<ReferenceRow> GetReference(const std::string& reference, const std::string& partner);
  // Deletes references expired before `now_seconds`; returns how many.
  Result<int64_t> PurgeExpired(int64_t now_seconds);
  // REQUIRES: a write transaction is open (tests and tools: make a reference expire).
  Status SetReferenceExpiry(const std::string& reference, int64_t expires_at);

  // Incoming follow-ups (answering side). REQUIRES for writes: a write transaction is open.
  Status PutFollowup(const FollowupRow& row);
  Result<FollowupRow> GetFollowup(const std::string& id);
  Result<std::vector<FollowupRow>> ListFollowups(std::optional<FollowupStatus> status,
                                                 const std::string& partner);
  // Conflict when the follow-up is no longer pending (already decided by someone).
  Status DecideFollowup(const std::string& id, FollowupStatus status, const std::string& by,
                        const std::string& reason, const std::string& objects_json);

  // Outgoing follow-ups (asking side). REQUIRES for writes: a write transaction is open.
  Status PutOutgoing(const FollowupRow& row);
  Result<std::vector<FollowupRow>> ListOutgoing(std::optional<FollowupStatus> status,
                                                const std::string& partner);
  Status UpdateOutgoing(const std::string& id, FollowupStatus status,
                        const std::string& decision_reason, const std::string& objects_json);

 private:
  // `columns` of `table` (follow-ups received or sent), filtered, oldest first.
  Result<std::vector<FollowupRow>> ListRows(const char* columns, const char* table,
                                            std::optional<FollowupStatus> status,
                                            const std::string& partner);
  Database* db_;
};

}  // namespace entente::exchange::hitnohit
