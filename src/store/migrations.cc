#include "store/migrations.h"

#include "common/crash_point.h"
#include "common/time.h"

namespace entente {
namespace {

// Serialises schema changes across processes (several servers starting at once over one
// PostgreSQL) until the transaction ends. SQLite's write transaction already excludes others.
Status LockMigrations(Database& db) {
  if (db.backend() != DatabaseBackend::kPostgres) return Status::Ok();
  constexpr int64_t kMigrationLock = 0x656e74656e7401;
  return db.Query("SELECT pg_advisory_xact_lock(?)", {kMigrationLock}).status();
}

Status EnsureVersionTable(Database& db) {
  constexpr char kCreate[] =
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " component TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL,"
      " PRIMARY KEY (component, version))";
  // PostgreSQL's IF NOT EXISTS is not safe against a concurrent CREATE: take the lock first.
  if (db.backend() != DatabaseBackend::kPostgres || db.InTransaction())
    return db.ExecuteScript(kCreate);
  Transaction tx(&db);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_RETURN_IF_ERROR(LockMigrations(db));
  ENTENTE_RETURN_IF_ERROR(db.ExecuteScript(kCreate));
  return tx.Commit();
}

}  // namespace

Result<int> SchemaVersion(Database& db, std::string_view component) {
  ENTENTE_RETURN_IF_ERROR(EnsureVersionTable(db));
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?",
               {std::string(component)}));
  return static_cast<int>(rows.empty() ? 0 : rows[0].Int(0));
}

namespace {

thread_local MigrationRecorder* g_recorder = nullptr;

// A dry run's view of a component's version: it must not create the version table, so a store
// without one is at version 0 everywhere.
int VersionWithoutWriting(Database& db, std::string_view component) {
  auto rows =
      db.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?",
               {std::string(component)});
  return rows.ok() && !rows->empty() ? static_cast<int>((*rows)[0].Int(0)) : 0;
}

Status PlanMigrations(Database& db, std::string_view component,
                      const std::vector<std::string>& steps) {
  const int current = VersionWithoutWriting(db, component);
  for (int version = current + 1; version <= static_cast<int>(steps.size()); ++version) {
    bool listed = false;
    for (const MigrationStep& step : g_recorder->steps()) {
      listed = listed || (step.component == component && step.version == version);
    }
    if (!listed) g_recorder->Add({std::string(component), version, 0});
  }
  return Status::Ok();
}

}  // namespace

MigrationRecorder::MigrationRecorder(bool dry_run) : dry_run_(dry_run), previous_(g_recorder) {
  g_recorder = this;
}

MigrationRecorder::~MigrationRecorder() { g_recorder = previous_; }

MigrationRecorder* MigrationRecorder::Current() { return g_recorder; }

Status ApplyMigrations(Database& db, std::string_view component,
                       const std::vector<std::string>& steps) {
  if (g_recorder && g_recorder->dry_run()) return PlanMigrations(db, component, steps);
  ENTENTE_ASSIGN_OR_RETURN(int current, SchemaVersion(db, component));
  if (current >= static_cast<int>(steps.size())) return Status::Ok();
  for (int version = current + 1; version <= static_cast<int>(steps.size()); ++version) {
    std::string context = "migration " + std::string(component) + " v" + std::to_string(version);
    Transaction tx(&db);
    ENTENTE_RETURN_IF_ERROR(tx.status().WithContext(context));
    ENTENTE_RETURN_IF_ERROR(LockMigrations(db).WithContext(context));
    // Another process may have migrated while we waited for the lock.
    ENTENTE_ASSIGN_OR_RETURN(
        auto rows, db.Query("SELECT 1 FROM schema_migrations WHERE component = ? AND version = ?",
                            {std::string(component), int64_t{version}}));
    if (!rows.empty()) continue;
    const int64_t started = NowMillis();
    ENTENTE_RETURN_IF_ERROR(db.ExecuteScript(db.Dialect(steps[version - 1])).WithContext(context));
    ENTENTE_RETURN_IF_ERROR(
        db.Execute("INSERT INTO schema_migrations (component, version, applied_at) "
                   "VALUES (?, ?, CURRENT_TIMESTAMP)",
                   {std::string(component), int64_t{version}})
            .WithContext(context));
    CrashPoint("migration.before_commit");
    ENTENTE_RETURN_IF_ERROR(tx.Commit().WithContext(context));
    if (g_recorder) g_recorder->Add({std::string(component), version, NowMillis() - started});
    CrashPoint("migration.after_commit");
  }
  return Status::Ok();
}

}  // namespace entente
