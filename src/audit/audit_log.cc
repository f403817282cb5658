#include "audit/audit_log.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "common/crash_point.h"
#include "common/ids.h"
#include "common/time.h"
#include "store/migrations.h"

namespace entente::server {
namespace {

const char kZeroHash[] = "0000000000000000000000000000000000000000000000000000000000000000";

const std::vector<std::string> kMigrations = {
    R"sql(
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  service TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
)sql",
};

constexpr char kColumns[] =
    "seq, at, actor, role, service, action, target, outcome, detail, prev_hash, hash";

AuditEntry EntryFromRow(const SqlRow& row) {
  AuditEntry entry;
  entry.seq = row.Int(0);
  entry.at = row.Text(1);
  entry.actor = row.Text(2);
  entry.role = row.Text(3);
  entry.service = row.Text(4);
  entry.action = row.Text(5);
  entry.target = row.Text(6);
  entry.outcome = row.Text(7);
  entry.detail_json = row.Text(8);
  entry.prev_hash = row.Text(9);
  entry.hash = row.Text(10);
  return entry;
}

// Serialises appenders across processes until the caller's transaction ends, so that each
// reads the head the previous one committed. SQLite's write transaction already holds the one
// write lock; PostgreSQL's READ COMMITTED write transactions run side by side, so they take a
// transaction-scoped advisory lock (the statement after it sees the latest committed head).
Status LockChain(Database& db) {
  if (db.backend() != DatabaseBackend::kPostgres) return Status::Ok();
  constexpr int64_t kChainLock = 0x656e74656e7465;  // "entente"
  return db.Query("SELECT pg_advisory_xact_lock(?)", {kChainLock}).status();
}

void AppendField(std::string* out, std::string_view field) {
  out->append(std::to_string(field.size()));
  out->push_back(':');
  out->append(field);
  out->push_back('\n');
}

}  // namespace

std::string AuditDetailToJson(const AuditDetail& detail) {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (const auto& [key, value] : detail) object[key] = value;
  // Replace invalid UTF-8 rather than throw: a detail echoing bad input must still be logged.
  return object.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string AuditLog::EntryHash(const AuditEntry& entry) {
  std::string canonical = "entente-audit-v1\n";
  AppendField(&canonical, std::to_string(entry.seq));
  AppendField(&canonical, entry.prev_hash);
  AppendField(&canonical, entry.at);
  AppendField(&canonical, entry.actor);
  AppendField(&canonical, entry.role);
  AppendField(&canonical, entry.service);
  AppendField(&canonical, entry.action);
  AppendField(&canonical, entry.target);
  AppendField(&canonical, entry.outcome);
  AppendField(&canonical, entry.detail_json);
  return Blake2bHex(canonical);
}

Status AuditLog::Migrate(Database& db) { return ApplyMigrations(db, "audit", kMigrations); }

Result<AuditEntry> AuditLog::Append(Database& db, const AuditEvent& event) {
  if (!db.InTransaction()) {
    return Internal("audit append outside a transaction: the entry must commit with its action");
  }
  if (event.action.empty()) return InvalidArgument("audit event: field action is empty");
  if (event.actor.empty()) return InvalidArgument("audit event: field actor is empty");
  ENTENTE_RETURN_IF_ERROR(LockChain(db));
  ENTENTE_ASSIGN_OR_RETURN(auto head, db.Query("SELECT seq, hash FROM audit_head WHERE id = 1"));
  AuditEntry entry;
  entry.seq = head.empty() ? 1 : head[0].Int(0) + 1;
  entry.prev_hash = head.empty() ? kZeroHash : head[0].Text(1);
  entry.at = NowTimestamp();
  entry.actor = event.actor;
  entry.role = event.role;
  entry.service = event.service;
  entry.action = event.action;
  entry.target = event.target;
  entry.outcome = event.outcome;
  entry.detail_json = AuditDetailToJson(event.detail);
  entry.hash = EntryHash(entry);
  ENTENTE_RETURN_IF_ERROR(db.Execute(
      std::string("INSERT INTO audit_log (") + kColumns + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
      {entry.seq, entry.at, entry.actor, entry.role, entry.service, entry.action, entry.target,
       entry.outcome, entry.detail_json, entry.prev_hash, entry.hash}));
  ENTENTE_RETURN_IF_ERROR(
      db.Execute("INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) "
                 "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                 {entry.seq, entry.hash}));
  return entry;
}

Result<AuditEntry> AuditLog::AppendAlone(Database& db, const AuditEvent& event) {
  Transaction tx(&db);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_ASSIGN_OR_RETURN(AuditEntry entry, Append(db, event));
  CrashPoint("audit.before_commit");
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  return entry;
}

Result<std::vector<AuditEntry>> AuditLog::Read(Database& db, const AuditQuery& query) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM audit_log WHERE seq > ?";
  std::vector<SqlValue> params = {query.after_seq};
  if (!query.since.empty()) {
    sql += " AND at >= ?";
    params.emplace_back(query.since);
  }
  if (!query.actor.empty()) {
    sql += " AND actor = ?";
    params.emplace_back(query.actor);
  }
  if (!query.action.empty()) {
    sql += " AND action = ?";
    params.emplace_back(query.action);
  }
  sql += " ORDER BY seq LIMIT ?";
  params.emplace_back(query.limit > 0 ? query.limit : int64_t{100});
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db.Query(sql, params));
  std::vector<AuditEntry> entries;
  entries.reserve(rows.size());
  for (const SqlRow& row : rows) entries.push_back(EntryFromRow(row));
  return entries;
}

Result<AuditVerifyReport> AuditLog::Verify(Database& db) {
  // One snapshot for the chain and its head: an entry appended between the two reads (the
  // server audits while it verifies) must not look like a cut.
  std::unique_ptr<Transaction> snapshot;
  if (!db.InTransaction()) {
    snapshot = std::make_unique<Transaction>(&db, /*write=*/false);
    ENTENTE_RETURN_IF_ERROR(snapshot->status());
  }
  AuditVerifyReport report;
  int64_t expected_seq = 1;
  std::string prev_hash = kZeroHash;
  auto fail = [&report](int64_t seq, std::string problem) {
    report.ok = false;
    report.first_bad_seq = seq;
    report.problem = std::move(problem);
  };
  Status scanned = db.QueryEach(
      std::string("SELECT ") + kColumns + " FROM audit_log ORDER BY seq", {},
      [&](const SqlRow& row) {
        AuditEntry entry = EntryFromRow(row);
        if (entry.seq != expected_seq) {
          if (entry.seq > expected_seq) {
            fail(entry.seq, "entries " + std::to_string(expected_seq) + ".." +
                                std::to_string(entry.seq - 1) +
                                " are missing before it (deleted or renumbered)");
          } else {
            fail(entry.seq, "out of sequence (expected " + std::to_string(expected_seq) + ")");
          }
          return false;
        }
        if (entry.prev_hash != prev_hash) {
          fail(entry.seq, "its prev_hash does not match the hash of entry " +
                              std::to_string(entry.seq - 1) +
                              " (an entry was inserted, reordered or rewritten before it)");
          return false;
        }
        if (AuditLog::EntryHash(entry) != entry.hash) {
          fail(entry.seq, "its content does not match its hash (the entry was altered)");
          return false;
        }
        prev_hash = entry.hash;
        report.entries++;
        report.head_seq = entry.seq;
        report.head_hash = entry.hash;
        expected_seq++;
        return true;
      });
  ENTENTE_RETURN_IF_ERROR(scanned);
  if (!report.ok) return report;
  ENTENTE_ASSIGN_OR_RETURN(auto head, db.Query("SELECT seq, hash FROM audit_head WHERE id = 1"));
  if (head.empty()) {
    if (report.entries > 0) fail(1, "the head record is missing (the log was tampered with)");
    return report;
  }
  int64_t head_seq = head[0].Int(0);
  if (head_seq != report.head_seq || head[0].Text(1) != report.head_hash) {
    if (head_seq > report.head_seq) {
      fail(report.head_seq + 1, "the chain ends at entry " + std::to_string(report.head_seq) +
                                    " but the head records entry " + std::to_string(head_seq) +
                                    " (entries deleted from the end)");
    } else {
      fail(head_seq + 1 > report.head_seq ? report.head_seq : head_seq + 1,
           "the head records entry " + std::to_string(head_seq) + " with a different hash " +
               "than the chain (entries appended or rewritten outside the audit module)");
    }
  }
  return report;
}

}  // namespace entente::server
