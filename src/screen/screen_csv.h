// Bulk screening of a query CSV against a MatchIndex, and evaluation of the hits against a
// truth file. `entente screen` and `entente eval` are thin shells over these; the bench uses
// them too.
//
// Query CSV: columns by header name `id,name,birth_date,nationality,id_number` (more allowed;
// `type` and `gender` are used when present). A row whose name cannot be matched is skipped and
// reported; a bad birth date, country code or type is ignored with a warning and the row is
// still screened on the rest (missing a listed person because of a typo in a date would be the
// worse failure).
//
// Hits CSV: header exactly `query_id,entity_id,source_id,score,matched_name,explanation`.
//
// Thread-safety: ScreenQueries runs `threads` workers over one const index; the functions keep
// no state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/progress.h"
#include "common/status.h"
#include "match/matcher.h"

namespace entente::match {

struct QueryRow {
  int64_t line = 0;
  std::string id;
  MatchQuery query;
  std::vector<std::string> warnings;  // "queries.csv line 4: birth_date '0000-00-00' ignored: ..."
  std::string skip_reason;            // non-empty: not screened
};

// IOError when unreadable; InvalidArgument naming the file when the header lacks `id` or
// `name`. Bad rows become QueryRows with warnings or a skip_reason.
Result<std::vector<QueryRow>> ReadQueryCsv(const std::string& path);

struct ScreenOptions {
  double threshold = 0.0;
  int top = 5;
  int threads = 1;
};

struct ScreenSummary {
  int64_t rows = 0;
  int64_t screened = 0;
  int64_t skipped = 0;
  int64_t warnings = 0;
  int64_t hits = 0;
  int64_t queries_with_hits = 0;
  double seconds = 0.0;
  // "screened 7269 of 7269 rows (0 skipped, 0 warnings): 3301 hits for 3190 queries in 0.4 s"
  std::string ToString() const;
};

// Screens every row (skip_reason set by ReadQueryCsv or by the index for unmatchable names).
// `results` gets one vector per row, in row order.
ScreenSummary ScreenQueries(const MatchIndex& index, std::vector<QueryRow>& rows,
                            const ScreenOptions& options,
                            std::vector<std::vector<MatchResult>>* results,
                            ProgressBar* progress = nullptr);

// Writes the hits CSV. IOError naming the file.
Status WriteHitsCsv(const std::string& path, const std::vector<QueryRow>& rows,
                    const std::vector<std::vector<MatchResult>>& results);

struct EvalReport {
  int64_t queries = 0;          // rows in the truth file
  int64_t expected_hits = 0;    // queries that should hit
  int64_t answered = 0;         // queries with a best hit
  int64_t true_positives = 0;   // best hit is the expected entity
  int64_t false_positives = 0;  // best hit but wrong or unexpected
  int64_t in_top5 = 0;          // expected entity among the five best hits
  int64_t unknown_queries = 0;  // hits for query ids missing from the truth
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
  double recall_at_5 = 0.0;
  std::string ToString() const;
};

// Compares hits with the truth (`query_id,expected_watchlist_id`, empty = must not hit);
// expected ids are compared with the hits' `source_id`. When `threshold` is set, hits below it
// are ignored. IOError / InvalidArgument naming the file, line and column.
Result<EvalReport> EvaluateHits(const std::string& truth_path, const std::string& hits_path,
                                std::optional<double> threshold = std::nullopt);

}  // namespace entente::match
