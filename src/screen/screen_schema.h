// The screen subsystem's tables (migration component "screen"), in portable SQL for SQLite and
// PostgreSQL:
//
//   screen_lists       a named list of people to screen, and the change_seq it was last checked to
//   screen_list_rows   its rows, in file order, with source file and line
//   screen_row_errors  rows that were rejected (duplicate id, no name, bad date...) with the reason
//   screen_jobs        a screening run over a list: status, progress, counts, who, threshold
//   screen_hits        (row, entity, entity version) pairs at or above the threshold, unique
//   screen_decisions   every review decision on a hit: who, when, why (append-only)
//   screen_alerts      hits raised or withdrawn by continuous re-screening, unique per hit and kind
//   screen_locks       named advisory locks (one rescreen at a time)
//
// Thread-safety: MigrateScreen() takes the database's write lock per step; call it from any
// process before use (it is idempotent and cheap when up to date).
#pragma once

#include "common/status.h"
#include "store/database.h"

namespace entente::screen {

// Applies the screen migrations (and the record store's, which the screen tables refer to).
Status MigrateScreen(Database& db);

}  // namespace entente::screen
