#include "api/import_job_table.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <map>
#include <nlohmann/json.hpp>

#include "api/import_jobs.h"
#include "audit/audit_log.h"
#include "common/ids.h"
#include "common/time.h"
#include "store/migrations.h"

namespace entente::server::import_table {
namespace {

const std::vector<std::string> kMigrations = {
    R"sql(
CREATE TABLE server_import_jobs (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  format TEXT NOT NULL,
  file_name TEXT NOT NULL,
  user_name TEXT NOT NULL,
  service TEXT NOT NULL,
  created TEXT NOT NULL,
  finished TEXT NOT NULL,
  error TEXT NOT NULL,
  rows_read BIGINT NOT NULL,
  records BIGINT NOT NULL,
  created_records BIGINT NOT NULL,
  updated_records BIGINT NOT NULL,
  unchanged_records BIGINT NOT NULL,
  owner TEXT NOT NULL,
  heartbeat_ms BIGINT NOT NULL
);
CREATE INDEX server_import_jobs_open ON server_import_jobs (state);
)sql",
    R"sql(
ALTER TABLE server_import_jobs ADD COLUMN not_stored TEXT NOT NULL DEFAULT '{}';
ALTER TABLE server_import_jobs ADD COLUMN not_stored_summary TEXT NOT NULL DEFAULT '';
)sql",
};

constexpr char kColumns[] =
    "id, state, format, file_name, user_name, service, created, finished, error, rows_read, "
    "records, created_records, updated_records, unchanged_records, not_stored, "
    "not_stored_summary";

std::string NotStoredJson(const ImportJob& job) { return nlohmann::json(job.not_stored).dump(); }

// The kinds column as written by NotStoredJson; an unreadable value reads as none.
std::map<std::string, int64_t> NotStoredFrom(const std::string& text) {
  nlohmann::json kinds = nlohmann::json::parse(text, nullptr, false);
  std::map<std::string, int64_t> out;
  if (!kinds.is_object()) return out;
  for (const auto& [kind, count] : kinds.items())
    if (count.is_number_integer()) out[kind] = count.get<int64_t>();
  return out;
}

ImportJob FromRow(const SqlRow& row) {
  ImportJob job;
  job.id = row.Text(0);
  job.state = row.Text(1);
  job.format = row.Text(2);
  job.file_name = row.Text(3);
  job.user = row.Text(4);
  job.service = row.Text(5);
  job.created = row.Text(6);
  job.finished = row.Text(7);
  job.error = row.Text(8);
  job.rows = row.Int(9);
  job.records = row.Int(10);
  job.created_records = row.Int(11);
  job.updated_records = row.Int(12);
  job.unchanged_records = row.Int(13);
  job.not_stored = NotStoredFrom(row.Text(14));
  job.not_stored_summary = row.Text(15);
  return job;
}

std::string HostName() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) return "unknown";
  return host;
}

// Fails one abandoned job and audits it, unless another server did so first.
Status FailAbandoned(Database& db, const std::string& id, const std::string& user,
                     const std::string& service, const std::string& format) {
  Transaction tx(&db);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  const std::string error =
      "the server running the import stopped before it finished; the rows it had committed "
      "(in transactions of a few thousand) stay, and uploading the same file again finishes "
      "the import without doubling them";
  ENTENTE_RETURN_IF_ERROR(
      db.Execute("UPDATE server_import_jobs SET state = 'failed', error = ?, finished = ? "
                 "WHERE id = ? AND state IN ('queued', 'running')",
                 {error, NowTimestamp(), id}));
  if (db.ChangedRows() == 0) return Status::Ok();  // finished or failed meanwhile
  AuditEvent event{
      user, "", service, "import.finish", id, "failed", {{"format", format}, {"error", error}}};
  ENTENTE_RETURN_IF_ERROR(AuditLog::Append(db, event).status());
  return tx.Commit();
}

}  // namespace

Status Migrate(Database& db) { return ApplyMigrations(db, "server_import_jobs", kMigrations); }

std::string NewOwner() { return HostName() + "/" + std::to_string(getpid()) + "/" + RandomHex(4); }

bool OwnerAlive(const std::string& owner, int64_t heartbeat_ms, int64_t now_ms) {
  size_t slash = owner.find('/');
  size_t second = owner.find('/', slash == std::string::npos ? 0 : slash + 1);
  if (slash != std::string::npos && second != std::string::npos &&
      owner.substr(0, slash) == HostName()) {
    pid_t pid = static_cast<pid_t>(std::atol(owner.substr(slash + 1, second - slash - 1).c_str()));
    if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) return false;
    if (pid > 0) return true;
  }
  return now_ms - heartbeat_ms < kStaleAfterMs;
}

Status Insert(Database& db, const ImportJob& job, const std::string& owner) {
  return db.Execute(
      std::string("INSERT INTO server_import_jobs (") + kColumns +
          ", owner, heartbeat_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      {job.id, job.state, job.format, job.file_name, job.user, job.service, job.created,
       job.finished, job.error, job.rows, job.records, job.created_records, job.updated_records,
       job.unchanged_records, NotStoredJson(job), job.not_stored_summary, owner, NowMillis()});
}

Result<ImportJob> Get(Database& db, const std::string& id) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows,
      db.Query(std::string("SELECT ") + kColumns + " FROM server_import_jobs WHERE id = ?", {id}));
  if (rows.empty()) return NotFound("import job " + id + " not found");
  return FromRow(rows[0]);
}

Status SetState(Database& db, const std::string& id, const std::string& state) {
  return db.Execute("UPDATE server_import_jobs SET state = ?, heartbeat_ms = ? WHERE id = ?",
                    {state, NowMillis(), id});
}

Status Finish(Database& db, const ImportJob& job) {
  return db.Execute(
      "UPDATE server_import_jobs SET state = ?, error = ?, finished = ?, rows_read = ?, "
      "records = ?, created_records = ?, updated_records = ?, unchanged_records = ?, "
      "not_stored = ?, not_stored_summary = ? WHERE id = ?",
      {job.state, job.error, job.finished, job.rows, job.records, job.created_records,
       job.updated_records, job.unchanged_records, NotStoredJson(job), job.not_stored_summary,
       job.id});
}

Status Heartbeat(Database& db, const std::string& owner) {
  return db.Execute(
      "UPDATE server_import_jobs SET heartbeat_ms = ? "
      "WHERE owner = ? AND state IN ('queued', 'running')",
      {NowMillis(), owner});
}

Result<std::vector<std::string>> MarkAbandoned(Database& db) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db.Query("SELECT id, owner, heartbeat_ms, user_name, service, format "
                          "FROM server_import_jobs WHERE state IN ('queued', 'running')"));
  std::vector<std::string> failed;
  int64_t now = NowMillis();
  for (const SqlRow& row : rows) {
    if (OwnerAlive(row.Text(1), row.Int(2), now)) continue;
    ENTENTE_RETURN_IF_ERROR(FailAbandoned(db, row.Text(0), row.Text(3), row.Text(4), row.Text(5)));
    failed.push_back(row.Text(0));
  }
  return failed;
}

}  // namespace entente::server::import_table
