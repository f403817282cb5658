// What every `entente` command shares: the global flags and how to open the store.
// Each subsystem registers its commands in its own file (store_commands.cc,
// ingest_commands.cc, ...); main.cc only calls the Register*Commands functions.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "audit/audit_log.h"
#include "common/status.h"
#include "store/database.h"
#include "store/record_store.h"

namespace entente::cli {

struct CliContext {
  // --db PATH, else $ENTENTE_DB, else ./entente.db. A postgresql:// URI selects PostgreSQL.
  std::string db_target;
  // Who is acting, for audit and decisions: --user, else $ENTENTE_USER, else $USER.
  std::string user;
  // The owning service of this node ("DGSN-DGST"): --service, else $ENTENTE_SERVICE, else "local".
  std::string service;
  int exit_code = 0;

  // Opens the database and migrates the record store. Errors name the target.
  Result<std::unique_ptr<Database>> OpenDatabase() const;
  // OpenDatabase() for a command's callback: on failure prints the error, sets exit_code and
  // returns nullptr, so a command starts with `auto db = ctx.OpenOrReport(); if (!db) return;`.
  std::unique_ptr<Database> OpenOrReport();
  // Sets exit_code from `status` (printing it) when it is not OK; returns status.ok().
  bool Check(const Status& status);
  // Who acts in the audit trail for a local command: "cli:<user>", role "local".
  server::AuditActor LocalActor() const;
  // An audit event from LocalActor() for `action` on `target`.
  server::AuditEvent LocalAuditEvent(std::string action, std::string target,
                                     server::AuditDetail detail = {}) const;
};

// Prints "error: <message>" on stderr and returns the exit code for `status`:
// 2 bad input, 3 not found, 4 permission, 5 conflict/busy, 1 otherwise.
int ReportError(const Status& status);

void RegisterStoreCommands(CLI::App& app, CliContext& ctx);  // init get search export stats history
void RegisterIngestCommands(CLI::App& app, CliContext& ctx);  // import
void RegisterMatchCommands(CLI::App& app, CliContext& ctx);   // match screen eval
void RegisterScreenCommands(CLI::App& app,
                            CliContext& ctx);  // jobs hits decide rescreen alerts report
void RegisterGraphCommands(CLI::App& app, CliContext& ctx);     // graph
void RegisterRiskCommands(CLI::App& app, CliContext& ctx);      // risk
void RegisterExchangeCommands(CLI::App& app, CliContext& ctx);  // share sync taxii ask followup
void RegisterTaxiiCommands(CLI::App& app, CliContext& ctx);     // taxii roots collections
void RegisterServerCommands(CLI::App& app, CliContext& ctx);    // serve users audit pki
void RegisterHitNoHitCommands(CLI::App& app, CliContext& ctx);  // ask followup
void RegisterDemoCommand(CLI::App& app, CliContext& ctx);       // demo
void RegisterWorkerCommand(CLI::App& app, CliContext& ctx);     // worker
void RegisterMigrateCommand(CLI::App& app, CliContext& ctx);    // migrate

// A list stored under a name and screened as a resumable job (`entente jobs start`, and
// `entente screen --list`).
struct StoredListScreening {
  std::string list_name;
  std::string input;
  double threshold = -1.0;  // < 0: the calibrated threshold
  int top = 10;
  int threads = 0;  // 0: one per core
  int batch = 2000;
  int pause_ms = 0;  // fault-injection tests only
  bool queue = false;  // only store the list and the job: workers screen it (entente worker)
};
// Stores the list, screens it with a progress bar, audits the start and prints the job line;
// on error sets ctx.exit_code and says how to resume.
void StartScreeningJob(CliContext& ctx, const StoredListScreening& request);

}  // namespace entente::cli
