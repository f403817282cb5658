// `entente migrate`: brings the schema of a store (SQLite file or a live PostgreSQL shared by
// running servers) up to this build's version, component by component. Each step runs in its
// own transaction under the migrations lock (store/migrations.h), so servers starting at the
// same time, or a second `migrate`, wait and then find the step done. `--check` lists the
// pending steps without writing anything and exits 1 when there are some.
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/import_jobs.h"
#include "audit/audit_log.h"
#include "auth/session_store.h"
#include "auth/user_store.h"
#include "cli/cli_context.h"
#include "exchange/exchange_store.h"
#include "exchange/hitnohit/hitnohit_store.h"
#include "http/auth_throttle.h"
#include "ingest/record_ids.h"
#include "screen/screen_schema.h"
#include "server/rate_limiter.h"
#include "store/migrations.h"
#include "store/record_store.h"

namespace entente::cli {
namespace {

struct MigrateFlags {
  std::string store;
  bool check = false;
};

// Every component's migration, in an order where each finds what it stands on.
const std::vector<std::pair<const char*, std::function<Status(Database&)>>>& Components() {
  static const std::vector<std::pair<const char*, std::function<Status(Database&)>>> all = {
      {"records", RecordStore::Migrate},
      {"record ids", ingest::RecordIdAliases::Migrate},
      {"audit", server::AuditLog::Migrate},
      {"users", server::UserStore::Migrate},
      {"sessions", server::SessionStore::Migrate},
      {"auth throttle", server::AuthThrottle::Migrate},
      {"rate limits", server::RateLimiter::Migrate},
      {"import jobs", server::ImportJobs::Migrate},
      {"screening", screen::MigrateScreen},
      {"exchange", exchange::ExchangeStore::Migrate},
      {"hit/no-hit", exchange::hitnohit::HitNoHitStore::Migrate},
  };
  return all;
}

void PrintVersions(Database& db) {
  auto rows = db.Query(
      "SELECT component, MAX(version) FROM schema_migrations GROUP BY component ORDER BY 1");
  if (!rows.ok()) return;
  for (const SqlRow& row : *rows) {
    std::printf("  %s v%lld\n", row.Text(0).c_str(), static_cast<long long>(row.Int(1)));
  }
}

int Check(Database& db, const std::string& target) {
  MigrationRecorder plan(/*dry_run=*/true);
  for (const auto& [name, migrate] : Components()) {
    const size_t before = plan.steps().size();
    Status status = migrate(db);
    // A component that has steps to apply may fail after them for want of its tables: what is
    // pending is known. Without pending steps an error is real.
    if (!status.ok() && plan.steps().size() == before) {
      return ReportError(status.WithContext(std::string("checking ") + name));
    }
  }
  if (plan.steps().empty()) {
    std::printf("store %s: schema up to date\n", target.c_str());
    return 0;
  }
  std::printf("store %s: %zu pending migration steps\n", target.c_str(), plan.steps().size());
  for (const MigrationStep& step : plan.steps()) {
    std::printf("  pending: %s v%d\n", step.component.c_str(), step.version);
  }
  return 1;
}

int Apply(Database& db, const std::string& target) {
  MigrationRecorder done(/*dry_run=*/false);
  for (const auto& [name, migrate] : Components()) {
    const size_t before = done.steps().size();
    Status status = migrate(db);
    for (size_t i = before; i < done.steps().size(); ++i) {
      const MigrationStep& step = done.steps()[i];
      std::printf("applied %s v%d (%lld ms)\n", step.component.c_str(), step.version,
                  static_cast<long long>(step.millis));
    }
    if (!status.ok()) return ReportError(status.WithContext(std::string("migrating ") + name));
  }
  std::printf("store %s: %zu steps applied; schema now:\n", target.c_str(), done.steps().size());
  PrintVersions(db);
  return 0;
}

}  // namespace

void RegisterMigrateCommand(CLI::App& app, CliContext& ctx) {
  auto flags = std::make_shared<MigrateFlags>();
  CLI::App* migrate = app.add_subcommand(
      "migrate",
      "Upgrade the store's schema (safe on a live store: a lock, one transaction a step)");
  migrate->add_option("--store", flags->store, "The store (same as the global --db)");
  migrate->add_flag("--check", flags->check,
                    "Only list the pending steps (writes nothing); exit 1 when there are some");
  migrate->callback([&ctx, flags] {
    if (!flags->store.empty()) ctx.db_target = flags->store;
    // Opened without the record store's automatic migration: this command does them all.
    auto db = Database::Open(ctx.db_target);
    if (!db.ok()) {
      ctx.exit_code = ReportError(db.status().WithContext("store " + ctx.db_target));
      return;
    }
    ctx.exit_code = flags->check ? Check(**db, ctx.db_target) : Apply(**db, ctx.db_target);
  });
}

}  // namespace entente::cli
