// How the screen subsystem reaches the matching engine. Screening code never calls the
// MatchIndex factories directly: it goes through a MatchEngine, so that the server can hand in
// the live watchlist index it keeps current, and tests can substitute a small deterministic
// index.
//
// Thread-safety: a MatchEngine is a set of plain function objects; DefaultMatchEngine() returns
// a reference to an immutable process-wide instance.
#pragma once

#include <functional>
#include <memory>

#include "common/progress.h"
#include "common/status.h"
#include "match/matcher.h"
#include "store/record_store.h"

namespace entente::screen {

struct MatchEngine {
  // Builds the watchlist index from the store (BuildMatchIndex, screen/store_index.h).
  std::function<Result<std::unique_ptr<MatchIndex>>(RecordStore&, const RecordFilter&,
                                                    ProgressBar*)>
      build;
  // An empty index (MatchIndex::Create), for indexing list rows or a handful of changed entities.
  std::function<std::unique_ptr<MatchIndex>()> create;
  // The calibrated hit threshold (MatchIndex::DefaultThreshold()).
  std::function<double()> default_threshold;
};

// The real engine of src/match.
const MatchEngine& DefaultMatchEngine();

}  // namespace entente::screen
