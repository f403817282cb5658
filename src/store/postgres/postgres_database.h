// The PostgreSQL back end of Database (libpq). Statements are written with `?` placeholders and
// rewritten to $1..$n; parameters travel as text; result columns come back typed by their OID.
// A statement text used a second time on a connection is prepared (PQprepare) and run by name
// from then on, so that the statements of every request are parsed and planned once per
// connection. Behind a pooler, use session pooling (named statements belong to a session).
#pragma once

#include <memory>
#include <string>

#include "store/database.h"

namespace entente {

// Connects with a libpq connection string or URI. Unavailable naming the target on failure
// (the password, if any, is not repeated in the message).
Result<std::unique_ptr<Database>> OpenPostgresDatabase(const std::string& conninfo);

// "SELECT ? , '?'" -> "SELECT $1 , '?'": placeholders outside quotes only.
std::string RewritePlaceholders(std::string_view sql);

// The target for messages: a URI's user info and any password= setting replaced by "***".
std::string RedactedTarget(const std::string& conninfo);

}  // namespace entente
