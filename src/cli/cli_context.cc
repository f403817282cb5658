#include "cli/cli_context.h"

#include <cstdio>

namespace entente::cli {

Result<std::unique_ptr<Database>> CliContext::OpenDatabase() const {
  auto db = Database::Open(db_target);
  if (!db.ok()) return db.status().WithContext("store " + db_target);
  Status migrated = RecordStore::Migrate(**db);
  if (!migrated.ok()) return migrated.WithContext("store " + db_target);
  return db;
}

std::unique_ptr<Database> CliContext::OpenOrReport() {
  auto db = OpenDatabase();
  if (!db.ok()) {
    exit_code = ReportError(db.status());
    return nullptr;
  }
  return std::move(*db);
}

bool CliContext::Check(const Status& status) {
  if (status.ok()) return true;
  exit_code = ReportError(status);
  return false;
}

server::AuditActor CliContext::LocalActor() const { return {"cli:" + user, "local", service}; }

server::AuditEvent CliContext::LocalAuditEvent(std::string action, std::string target,
                                               server::AuditDetail detail) const {
  server::AuditEvent event;
  event.actor = "cli:" + user;
  event.role = "local";
  event.service = service;
  event.action = std::move(action);
  event.target = std::move(target);
  event.detail = std::move(detail);
  return event;
}

int ReportError(const Status& status) {
  std::fprintf(stderr, "error: %s\n", status.message().c_str());
  switch (status.code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kInvalidArgument:
      return 2;
    case StatusCode::kNotFound:
      return 3;
    case StatusCode::kPermissionDenied:
    case StatusCode::kUnauthenticated:
      return 4;
    case StatusCode::kConflict:
    case StatusCode::kUnavailable:
      return 5;
    default:
      return 1;
  }
}

}  // namespace entente::cli
