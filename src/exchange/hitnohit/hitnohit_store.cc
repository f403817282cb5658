#include "exchange/hitnohit/hitnohit_store.h"

#include <ctime>

#include "audit/audit_log.h"
#include "common/ids.h"
#include "common/time.h"
#include "exchange/exchange_store.h"
#include "store/migrations.h"

namespace entente::exchange::hitnohit {
namespace {

const std::vector<std::string>& Steps() {
  static const std::vector<std::string> kSteps = {
      R"(
CREATE TABLE hitnohit_node (id TEXT PRIMARY KEY);
CREATE TABLE hitnohit_settings (
  partner TEXT PRIMARY KEY,
  toml TEXT NOT NULL,
  updated TEXT NOT NULL);
CREATE TABLE hitnohit_refs (
  reference TEXT PRIMARY KEY,
  partner TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  band TEXT NOT NULL,
  mode TEXT NOT NULL,
  created TEXT NOT NULL,
  expires_at BIGINT NOT NULL);
CREATE INDEX hitnohit_refs_expiry ON hitnohit_refs (expires_at);
CREATE TABLE hitnohit_usage (
  partner TEXT NOT NULL,
  period TEXT NOT NULL,
  used BIGINT NOT NULL,
  PRIMARY KEY (partner, period));
CREATE TABLE hitnohit_followups (
  id TEXT PRIMARY KEY,
  partner TEXT NOT NULL,
  reference TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  status TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  decision_reason TEXT NOT NULL,
  created TEXT NOT NULL,
  decided TEXT NOT NULL,
  objects TEXT NOT NULL);
CREATE INDEX hitnohit_followups_status ON hitnohit_followups (status, created);
CREATE TABLE hitnohit_outgoing (
  id TEXT NOT NULL,
  partner TEXT NOT NULL,
  reference TEXT NOT NULL,
  reason TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  status TEXT NOT NULL,
  decision_reason TEXT NOT NULL,
  created TEXT NOT NULL,
  updated TEXT NOT NULL,
  objects TEXT NOT NULL,
  PRIMARY KEY (partner, id));
)"};
  return kSteps;
}

FollowupRow FollowupFromRow(const SqlRow& row) {
  FollowupRow f;
  f.id = row.Text(0);
  f.partner = row.Text(1);
  f.reference = row.Text(2);
  f.entity_id = row.Text(3);
  f.reason = row.Text(4);
  f.requested_by = row.Text(5);
  f.status = ParseFollowupStatus(row.Text(6)).value_or(FollowupStatus::kPending);
  f.decided_by = row.Text(7);
  f.decision_reason = row.Text(8);
  f.created = row.Text(9);
  f.decided = row.Text(10);
  f.objects_json = row.Text(11);
  return f;
}

constexpr char kFollowupColumns[] =
    "id, partner, reference, entity_id, reason, requested_by, status, decided_by, "
    "decision_reason, created, decided, objects";
constexpr char kOutgoingColumns[] =
    "id, partner, reference, '' AS entity_id, reason, requested_by, status, '' AS decided_by, "
    "decision_reason, created, updated, objects";

std::string UtcDay(int64_t now_seconds) {
  std::time_t t = static_cast<std::time_t>(now_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return text;
}

}  // namespace

std::string_view FollowupStatusName(FollowupStatus status) {
  switch (status) {
    case FollowupStatus::kPending:
      return "pending";
    case FollowupStatus::kApproved:
      return "approved";
    case FollowupStatus::kRefused:
      return "refused";
    case FollowupStatus::kReceived:
      return "received";
  }
  return "pending";
}

std::optional<FollowupStatus> ParseFollowupStatus(std::string_view text) {
  if (text == "pending") return FollowupStatus::kPending;
  if (text == "approved") return FollowupStatus::kApproved;
  if (text == "refused") return FollowupStatus::kRefused;
  if (text == "received") return FollowupStatus::kReceived;
  return std::nullopt;
}

Status HitNoHitStore::Migrate(Database& db) {
  ENTENTE_RETURN_IF_ERROR(ExchangeStore::Migrate(db));
  ENTENTE_RETURN_IF_ERROR(server::AuditLog::Migrate(db));
  ENTENTE_RETURN_IF_ERROR(ApplyMigrations(db, "hitnohit", Steps()));
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT id FROM hitnohit_node"));
  if (rows.empty()) {
    Status s = db.Execute("INSERT INTO hitnohit_node (id) VALUES (?)", {RandomHex(16)});
    // Two processes migrating at once: the other one's id is as good.
    if (!s.ok() && s.code() != StatusCode::kConflict) return s;
  }
  return Status::Ok();
}

Status HitNoHitStore::EnsureMigrated(Database& db) {
  auto rows = db.Query("SELECT id FROM hitnohit_node LIMIT 1");
  if (rows.ok() && !rows->empty()) return Status::Ok();
  return Migrate(db);
}

Result<std::string> HitNoHitStore::NodeId() {
  ENTENTE_ASSIGN_OR_RETURN(auto rows,
                           db_->Query("SELECT id FROM hitnohit_node ORDER BY id LIMIT 1"));
  if (rows.empty()) return Internal("hitnohit_node is empty: HitNoHitStore::Migrate was not run");
  return rows[0].Text(0);
}

Result<HitNoHitSettings> HitNoHitStore::LoadSettings(const Agreement& agreement) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows,
      db_->Query("SELECT toml FROM hitnohit_settings WHERE partner = ?", {agreement.partner.name}));
  if (!rows.empty())
    return ParseSettings(agreement, rows[0].Text(0),
                         "stored hit/no-hit settings for " + agreement.partner.name);
  return SettingsFromAgreement(agreement);
}

Status HitNoHitStore::PutSettingsText(const Agreement& agreement, const std::string& toml_text) {
  ENTENTE_RETURN_IF_ERROR(
      ParseSettings(agreement, toml_text, "hit/no-hit settings for " + agreement.partner.name)
          .status());
  ENTENTE_RETURN_IF_ERROR(
      db_->Execute("DELETE FROM hitnohit_settings WHERE partner = ?", {agreement.partner.name}));
  return db_->Execute("INSERT INTO hitnohit_settings (partner, toml, updated) VALUES (?, ?, ?)",
                      {agreement.partner.name, toml_text, NowTimestamp()});
}

Status HitNoHitStore::DeleteSettings(const std::string& partner) {
  return db_->Execute("DELETE FROM hitnohit_settings WHERE partner = ?", {partner});
}

Status HitNoHitStore::ConsumeQuota(const std::string& partner, const HitNoHitSettings& settings,
                                   int64_t queries, int64_t now_seconds) {
  if (!db_->InTransaction()) return Internal("ConsumeQuota needs an open write transaction");
  const std::string day = "d:" + UtcDay(now_seconds);
  const std::string minute = "m:" + std::to_string(now_seconds / 60);
  auto used = [&](const std::string& period) -> Result<int64_t> {
    ENTENTE_ASSIGN_OR_RETURN(
        auto rows, db_->Query("SELECT used FROM hitnohit_usage WHERE partner = ? AND period = ?",
                              {partner, period}));
    return rows.empty() ? int64_t{0} : rows[0].Int(0);
  };
  ENTENTE_ASSIGN_OR_RETURN(int64_t used_today, used(day));
  if (used_today + queries > settings.quota_per_day)
    return ResourceExhausted("quota: " + std::to_string(used_today) + " of " +
                             std::to_string(settings.quota_per_day) + " queries used today by " +
                             partner + "; this request asks " + std::to_string(queries) +
                             "; the quota resets at 00:00 UTC");
  ENTENTE_ASSIGN_OR_RETURN(int64_t used_minute, used(minute));
  if (used_minute + 1 > settings.rate_per_minute)
    return ResourceExhausted("rate limit: " + std::to_string(settings.rate_per_minute) +
                             " requests per minute for " + partner + "; retry in " +
                             std::to_string(60 - now_seconds % 60) + " s");
  const char* upsert =
      "INSERT INTO hitnohit_usage (partner, period, used) VALUES (?, ?, ?) "
      "ON CONFLICT (partner, period) DO UPDATE SET used = hitnohit_usage.used + excluded.used";
  ENTENTE_RETURN_IF_ERROR(db_->Execute(upsert, {partner, day, queries}));
  ENTENTE_RETURN_IF_ERROR(db_->Execute(upsert, {partner, minute, int64_t{1}}));
  // Older minute windows are of no further use.
  return db_->Execute(
      "DELETE FROM hitnohit_usage WHERE partner = ? AND period LIKE 'm:%' AND period <> ?",
      {partner, minute});
}

Status HitNoHitStore::PutReference(const ReferenceRow& row) {
  return db_->Execute(
      "INSERT INTO hitnohit_refs (reference, partner, entity_id, band, mode, created, expires_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {row.reference, row.partner, row.entity_id, row.band, row.mode, row.created, row.expires_at});
}

Result<ReferenceRow> HitNoHitStore::GetReference(const std::string& reference,
                                                 const std::string& partner) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db_->Query("SELECT reference, partner, entity_id, band, mode, created, expires_at "
                            "FROM hitnohit_refs WHERE reference = ? AND partner = ?",
                            {reference, partner}));
  if (rows.empty())
    return NotFound("field reference: no reference " + reference + " for " + partner);
  ReferenceRow r;
  r.reference = rows[0].Text(0);
  r.partner = rows[0].Text(1);
  r.entity_id = rows[0].Text(2);
  r.band = rows[0].Text(3);
  r.mode = rows[0].Text(4);
  r.created = rows[0].Text(5);
  r.expires_at = rows[0].Int(6);
  return r;
}

Result<int64_t> HitNoHitStore::PurgeExpired(int64_t now_seconds) {
  ENTENTE_RETURN_IF_ERROR(
      db_->Execute("DELETE FROM hitnohit_refs WHERE expires_at < ?", {now_seconds}));
  return db_->ChangedRows();
}

Status HitNoHitStore::SetReferenceExpiry(const std::string& reference, int64_t expires_at) {
  ENTENTE_RETURN_IF_ERROR(db_->Execute(
      "UPDATE hitnohit_refs SET expires_at = ? WHERE reference = ?", {expires_at, reference}));
  if (db_->ChangedRows() == 0) return NotFound("no reference " + reference);
  return Status::Ok();
}

Status HitNoHitStore::PutFollowup(const FollowupRow& f) {
  return db_->Execute(std::string("INSERT INTO hitnohit_followups (") + kFollowupColumns +
                          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {f.id, f.partner, f.reference, f.entity_id, f.reason, f.requested_by,
                       std::string(FollowupStatusName(f.status)), f.decided_by, f.decision_reason,
                       f.created, f.decided, f.objects_json});
}

Result<FollowupRow> HitNoHitStore::GetFollowup(const std::string& id) {
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db_->Query(std::string("SELECT ") + kFollowupColumns +
                                                     " FROM hitnohit_followups WHERE id = ?",
                                                 {id}));
  if (rows.empty()) return NotFound("no follow-up request " + id);
  return FollowupFromRow(rows[0]);
}

Result<std::vector<FollowupRow>> HitNoHitStore::ListRows(const char* columns, const char* table,
                                                         std::optional<FollowupStatus> status,
                                                         const std::string& partner) {
  std::string sql = std::string("SELECT ") + columns + " FROM " + table + " WHERE 1 = 1";
  std::vector<SqlValue> params;
  if (status) {
    sql += " AND status = ?";
    params.emplace_back(std::string(FollowupStatusName(*status)));
  }
  if (!partner.empty()) {
    sql += " AND partner = ?";
    params.emplace_back(partner);
  }
  sql += " ORDER BY created, id";
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db_->Query(sql, params));
  std::vector<FollowupRow> out;
  for (const SqlRow& row : rows) out.push_back(FollowupFromRow(row));
  return out;
}

Result<std::vector<FollowupRow>> HitNoHitStore::ListFollowups(std::optional<FollowupStatus> status,
                                                              const std::string& partner) {
  return ListRows(kFollowupColumns, "hitnohit_followups", status, partner);
}

Status HitNoHitStore::DecideFollowup(const std::string& id, FollowupStatus status,
                                     const std::string& by, const std::string& reason,
                                     const std::string& objects_json) {
  ENTENTE_RETURN_IF_ERROR(db_->Execute(
      "UPDATE hitnohit_followups SET status = ?, decided_by = ?, decision_reason = ?, "
      "decided = ?, objects = ? WHERE id = ? AND status = 'pending'",
      {std::string(FollowupStatusName(status)), by, reason, NowTimestamp(), objects_json, id}));
  if (db_->ChangedRows() == 0) {
    ENTENTE_ASSIGN_OR_RETURN(FollowupRow row, GetFollowup(id));
    return Conflict("follow-up request " + id + " is already " +
                    std::string(FollowupStatusName(row.status)) +
                    (row.decided_by.empty() ? "" : " (by " + row.decided_by + ")"));
  }
  return Status::Ok();
}

Status HitNoHitStore::PutOutgoing(const FollowupRow& f) {
  return db_->Execute(
      "INSERT INTO hitnohit_outgoing (id, partner, reference, reason, requested_by, status, "
      "decision_reason, created, updated, objects) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {f.id, f.partner, f.reference, f.reason, f.requested_by,
       std::string(FollowupStatusName(f.status)), f.decision_reason, f.created, f.created,
       f.objects_json});
}

Result<std::vector<FollowupRow>> HitNoHitStore::ListOutgoing(std::optional<FollowupStatus> status,
                                                             const std::string& partner) {
  return ListRows(kOutgoingColumns, "hitnohit_outgoing", status, partner);
}

Status HitNoHitStore::UpdateOutgoing(const std::string& id, FollowupStatus status,
                                     const std::string& decision_reason,
                                     const std::string& objects_json) {
  return db_->Execute(
      "UPDATE hitnohit_outgoing SET status = ?, decision_reason = ?, objects = ?, updated = ? "
      "WHERE id = ?",
      {std::string(FollowupStatusName(status)), decision_reason, objects_json, NowTimestamp(), id});
}

}  // namespace entente::exchange::hitnohit
