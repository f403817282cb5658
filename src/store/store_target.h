// What a store target names (the --db / `db` setting): a SQLite file, or a PostgreSQL database
// given as a "postgresql://..." / "postgres://..." URI or a "host=... dbname=..." string (the
// rule Database::Open() follows).
#pragma once

#include <string>

namespace entente {

bool IsPostgresTarget(const std::string& target);

// The database a PostgreSQL target names ("entente" in "postgresql://h/entente?sslmode=x",
// "x" in "host=h dbname=x"); "" when it names none (libpq's default) or for a SQLite file.
std::string TargetDatabaseName(const std::string& target);

// The default path of a file that belongs with the store (`suffix` like ".token-key"): beside the
// SQLite file ("<file><suffix>"), or for PostgreSQL "<database><suffix>" in the current folder
// ("entente<suffix>" when the target names no database).
std::string StoreSidecarPath(const std::string& target, const std::string& suffix);

}  // namespace entente
