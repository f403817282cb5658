// Reading a stored list's rows back (screen_list_rows), in row order.
// Thread-safety: uses the caller's Database (one thread at a time).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "common/status.h"
#include "screen/list_file.h"
#include "store/database.h"

namespace entente::screen {

// The rows with row_idx in [from, from + count), in order.
Result<std::vector<ListRow>> ReadListRows(Database& db, int64_t list_id, int64_t from,
                                          int64_t count);
// One row by position; NotFound when absent.
Result<ListRow> ReadListRow(Database& db, int64_t list_id, int64_t row_idx);
// Every row in order; stop by returning false.
Status ForEachListRow(Database& db, int64_t list_id, const std::function<bool(ListRow&&)>& fn);

}  // namespace entente::screen
