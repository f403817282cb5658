// The matching engine over the record store: builds a MatchIndex from the store's current
// persons and organizations and keeps it caught up with the store's change feed. The engine in
// src/match knows only entities; this file is the one bridge between it and the store.
//
// Thread-safety: as MatchIndex (Match() runs concurrently with a catch-up, which takes the
// index's writer lock one batch at a time); the RecordStore is used from the calling thread.
#pragma once

#include <memory>

#include "common/progress.h"
#include "common/status.h"
#include "match/matcher.h"
#include "store/record_store.h"

namespace entente::screen {

// Indexes the current persons and organizations in `store` that pass `filter` (all types
// when filter.types is empty), and records the store's last change, so that a later
// CatchUpMatchIndex applies only what changed after the scan started. Errors: the store's.
Result<std::unique_ptr<MatchIndex>> BuildMatchIndex(RecordStore& store, const RecordFilter& filter,
                                                    ProgressBar* progress = nullptr);

// Applies the store's changes since index.Stats().applied_seq, in batches. Cheap when little
// changed. Errors: the store's (the index keeps what was applied before the error).
Status CatchUpMatchIndex(MatchIndex& index, RecordStore& store);

}  // namespace entente::screen
