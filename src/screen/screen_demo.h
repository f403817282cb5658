// The screening story for `entente demo`: store an applicant list and screen it, decide a few
// hits, then a partner shares a new watchlist record and continuous re-screening raises the
// alert. Builds its own sample data (no ../shared needed) and prints each step to `out`.
// Thread-safety: uses the caller's Database (one thread at a time).
#pragma once

#include <ostream>
#include <string>

#include "common/status.h"
#include "screen/match_engine.h"
#include "screen/screening_job.h"
#include "store/database.h"

namespace entente::screen {

struct ScreeningDemoOptions {
  std::string work_dir = ".";       // where the applicants CSV is written
  std::string list_name = "demo-applicants";
  std::string user = "officer.demo";
  std::string service = "DGSN-DGST";  // owner of the seeded watchlist records
  std::string partner = "DGSI";       // owner of the record shared "weeks later"
  bool seed_watchlist = true;         // add the demo watchlist persons (idempotent)
  const MatchEngine* engine = nullptr;
};

struct ScreeningDemoOutcome {
  JobId job_id = 0;
  int64_t hits = 0;
  int64_t decided = 0;
  int64_t alerts = 0;
  std::string new_record_id;
};

// Writes the demo applicants CSV (12 applicants, 2 rows rejected on purpose) to `path`.
Status WriteDemoApplicants(const std::string& path);

// Runs the whole story. A second run in the same store uses a fresh list name suffix.
Result<ScreeningDemoOutcome> RunScreeningDemo(Database& db, const ScreeningDemoOptions& options,
                                              std::ostream& out);

}  // namespace entente::screen
