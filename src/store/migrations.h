// Schema migrations with a version table. Each subsystem owns a `component` name and an
// ordered list of steps; step i (0-based) brings the component to version i+1. Steps already
// applied (recorded in `schema_migrations`) are skipped; each step runs in its own transaction.
// Steps may use the Database::Dialect() tokens.
#pragma once

#include <cstdint>
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

// One step ApplyMigrations applied (or, in a dry run, would apply).
struct MigrationStep {
  std::string component;
  int version = 0;
  int64_t millis = 0;  // how long it took (0 in a dry run)
};

// While one is alive, ApplyMigrations on this thread lists its steps here (`entente migrate`).
// With dry_run it applies nothing and writes nothing (not even the version table): it only
// lists the steps that are pending.
class MigrationRecorder {
 public:
  explicit MigrationRecorder(bool dry_run);
  ~MigrationRecorder();
  MigrationRecorder(const MigrationRecorder&) = delete;
  MigrationRecorder& operator=(const MigrationRecorder&) = delete;

  bool dry_run() const { return dry_run_; }
  const std::vector<MigrationStep>& steps() const { return steps_; }
  void Add(MigrationStep step) { steps_.push_back(std::move(step)); }
  // The recorder of this thread, or null.
  static MigrationRecorder* Current();

 private:
  bool dry_run_;
  MigrationRecorder* previous_;
  std::vector<MigrationStep> steps_;
};

}  // namespace entente
