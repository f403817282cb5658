// The SQLite back end of Database: WAL, a busy timeout, prepared statements cached by SQL text.
#pragma once

#include <memory>
#include <string>

#include "store/database.h"

namespace entente {

// Opens (creating if needed) a SQLite database file. IOError naming the path on failure.
Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path, int busy_timeout_ms);

}  // namespace entente
