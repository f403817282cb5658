// A screening job's summary for the officer in charge and for oversight: rows (screened,
// rejected, refused), hits by score band, by threat category, by review status, and the
// re-screening alerts of its list. As JSON or as CSV (section,key,value).
// Thread-safety: uses the caller's Database (one thread at a time).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "screen/screening_job.h"
#include "store/database.h"

namespace entente::screen {

struct JobReport {
  JobInfo job;
  int64_t rows_with_hits = 0;
  int64_t rows_warned = 0;    // rows screened with a field dropped
  int64_t rescreen_hits = 0;  // hits raised later on the same list by re-screening
  int64_t alerts = 0;
  using Counts = std::vector<std::pair<std::string, int64_t>>;
  Counts by_band;      // "0.95-1.00" ... "below 0.70", every band listed
  Counts by_category;  // "terrorism" -> n
  Counts by_status;    // "open", "match", "no-match", "refer", "superseded", "withdrawn"
};

// Whether the reader of a report may read the record with this id (the policy decision point,
// applied by the caller: screen does not know principals).
using RecordReadable = std::function<bool(const std::string& entity_id)>;

// NotFound for an unknown job. Counts cover every hit of the job's list (the job's own and
// those re-screening added). With `readable`, the threat category of a hit on a record the
// reader may not read is not told: such hits are counted under "restricted".
Result<JobReport> BuildJobReport(Database& db, JobId id, const RecordReadable& readable = {});
std::string JobReportToJson(const JobReport& report);
// "section,key,value" rows: job,id,3 / rows,total,1000 / band,0.90-0.95,12 / category,... /
// status,...
std::string JobReportToCsv(const JobReport& report);

}  // namespace entente::screen
