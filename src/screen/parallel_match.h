// Running many lookups against one MatchIndex on several threads.
// Thread-safety: the index is only read (MatchIndex::Match is const and thread-safe).
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "common/status.h"
#include "match/matcher.h"
#include "screen/list_file.h"

namespace entente::screen {

// Calls fn(i) for i in [0, count) on `threads` threads (the caller's included), in chunks.
void ParallelFor(size_t count, int threads, const std::function<void(size_t)>& fn);

// The hits of each row (QueryFromRow), and per row the engine's refusal (an OK Status when it
// was screened).
struct RowMatches {
  std::vector<std::vector<MatchResult>> hits;
  std::vector<Status> errors;
};
RowMatches MatchRows(const MatchIndex& index, const std::vector<ListRow>& rows, int top,
                     double threshold, int threads);

// One thread per core when `requested` is 0.
int ThreadCount(int requested);

}  // namespace entente::screen
