// The audit trail: an append-only, hash-chained log of every sensitive action (token use,
// reads of records marked AMBER or above, searches, matches, writes, imports, screening jobs
// and decisions, exports, exchanges, user changes).
//
// Each entry holds the BLAKE2b-256 hash of the previous entry (`prev_hash`) and its own hash
// over a canonical, length-prefixed encoding of (seq, prev_hash, every field). A separate
// one-row table records the head (last seq and hash). Verify() walks the chain and names the
// first entry that does not verify, so an altered, deleted, inserted or reordered entry is
// found; a deletion at the end is found against the head. The chain proves the log was not
// edited *without recomputing the hashes*; someone with write access to the database and the
// code could rewrite the whole chain, which is why Verify() returns the head hash for the
// auditor to keep outside the system and compare later (`entente audit verify --expect-head`).
//
// Append() writes in the caller's open write transaction (Database::BeginWrite, a
// RecordStore::Writer or a Transaction), so an action and its audit entry commit or roll back
// together. Writers are serialized by the store's write lock (SQLite BEGIN IMMEDIATE) or, on
// PostgreSQL, by a transaction-scoped advisory lock taken before the head is read: appenders in
// any number of processes wait for each other and stay one chain.
//
// Used by the server's routes and by any subsystem that acts for a user (screening, exchange).
// Thread-safety: static functions over the Database passed in (one thread per connection).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "store/database.h"

namespace entente::server {

// Free-form detail of an entry: ordered key/value pairs, stored as a JSON object. Never put
// secrets (tokens, keys) here; personal data only where the action is about it (the record id
// read, the name searched for is allowed: the audit trail is itself RED).
using AuditDetail = std::vector<std::pair<std::string, std::string>>;

// Who acts, for functions that audit on a caller's behalf.
struct AuditActor {
  std::string actor;
  std::string role;
  std::string service;
};

// What to record.
struct AuditEvent {
  std::string actor;    // user name, partner name, or "cli:<unix user>" for local commands
  std::string role;     // the actor's role ("analyst", ...) or "local"
  std::string service;  // the actor's service
  std::string action;   // dotted verb: "record.read", "record.write", "search", "match",
                        // "auth.failure", "user.add", "user.revoke", "import", ...
  std::string target;   // what it was done to: a record id, a user name, a job id; may be empty
  std::string outcome = "ok";  // "ok", "denied", "failed", "filtered"
  AuditDetail detail;
};

// A stored entry.
struct AuditEntry {
  int64_t seq = 0;
  std::string at;  // RFC 3339 UTC
  std::string actor;
  std::string role;
  std::string service;
  std::string action;
  std::string target;
  std::string outcome;
  std::string detail_json;  // a JSON object
  std::string prev_hash;    // hex; 64 zeros for the first entry
  std::string hash;         // hex
};

struct AuditVerifyReport {
  bool ok = true;
  int64_t entries = 0;        // entries checked
  int64_t first_bad_seq = 0;  // 0 when ok; the seq of the first entry that does not verify
  std::string problem;        // what is wrong with it, for people
  int64_t head_seq = 0;       // the chain's last seq
  std::string head_hash;      // and hash: keep it outside the system
};

struct AuditQuery {
  int64_t after_seq = 0;  // entries with seq > after_seq
  std::string since;      // and at >= since (RFC 3339), when not empty
  std::string actor;      // only this actor, when not empty
  std::string action;     // only this action, when not empty
  int64_t limit = 100;
};

class AuditLog {
 public:
  // Creates the tables (component "audit"). Call once per database before use.
  static Status Migrate(Database& db);

  // Appends `event` in the caller's write transaction. Errors: Internal when no transaction is
  // open; InvalidArgument when action or actor is empty; the database's error otherwise.
  static Result<AuditEntry> Append(Database& db, const AuditEvent& event);
  // Appends `event` in a transaction of its own (for events with no other write: a refused
  // login, a read of a marked record). REQUIRES: no transaction open on `db`.
  static Result<AuditEntry> AppendAlone(Database& db, const AuditEvent& event);

  // Entries matching `query`, oldest first.
  static Result<std::vector<AuditEntry>> Read(Database& db, const AuditQuery& query);

  // Walks the whole chain. Returns a report (ok or naming the first bad entry); a non-OK
  // Status only when the database cannot be read.
  static Result<AuditVerifyReport> Verify(Database& db);

  // The hash of an entry from its fields and `prev_hash` (hex). Exposed for tests and tools.
  static std::string EntryHash(const AuditEntry& entry);
};

// The JSON object text for `detail` ({} when empty).
std::string AuditDetailToJson(const AuditDetail& detail);

}  // namespace entente::server
