// Schema migrations with a version table. Each subsystem owns a `component` name and an
// ordered list of steps; step i (0-based) brings the component to version i+1. Steps already
// applied (recorded in `schema_migrations`) are skipped; each step runs in its own transaction.
// Steps may use the Database::Dialect() tokens.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/database.h"

namespace entente {

// Errors: the failing step's error, prefixed with "migration <component> v<N>".
Status ApplyMigrations(Database& db, std::string_view component,
                       const std::vector<std::string>& steps);
// The version a component is at (0 when never migrated).
Result<int> SchemaVersion(Database& db, std::string_view component);

}  // namespace entente
