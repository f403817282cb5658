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

int ReportError(const Status& status) {
  std::fprintf(stderr, "error: %s\n", status.message().c_str());
  switch (status.code()) {
    case StatusCode::kOk: return 0;
    case StatusCode::kInvalidArgument: return 2;
    case StatusCode::kNotFound: return 3;
    case StatusCode::kPermissionDenied:
    case StatusCode::kUnauthenticated: return 4;
    case StatusCode::kConflict:
    case StatusCode::kUnavailable: return 5;
    default: return 1;
  }
}

}  // namespace entente::cli
