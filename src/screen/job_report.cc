#include "screen/job_report.h"

#include <iterator>
#include <map>
#include <nlohmann/json.hpp>

#include "common/csv.h"
#include "screen/screen_output.h"

namespace entente::screen {
namespace {

struct Band {
  const char* name;
  double low;
  double high;
};
constexpr Band kBands[] = {{"0.95-1.00", 0.95, 2.0},  {"0.90-0.95", 0.90, 0.95},
                           {"0.85-0.90", 0.85, 0.90}, {"0.80-0.85", 0.80, 0.85},
                           {"0.70-0.80", 0.70, 0.80}, {"below 0.70", -1.0, 0.70}};
constexpr const char* kStatuses[] = {"open",  "match",      "no-match",
                                     "refer", "superseded", "withdrawn"};

Result<JobReport::Counts> GroupCount(Database& db, const std::string& column, int64_t list_id) {
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT " + column +
                                                   ", COUNT(*) FROM screen_hits WHERE list_id = ?"
                                                   " GROUP BY " +
                                                   column + " ORDER BY " + column,
                                               {list_id}));
  JobReport::Counts counts;
  for (const SqlRow& row : rows) {
    counts.emplace_back(row.Text(0).empty() ? "unknown" : row.Text(0), row.Int(1));
  }
  return counts;
}

const char* BandOf(double score) {
  for (const Band& band : kBands) {
    if (score >= band.low && score < band.high) return band.name;
  }
  return kBands[std::size(kBands) - 1].name;
}

// Hits by score band and by the threat category of their record, for a reader who may not read
// every record: the hits on the others are counted under "restricted" in both, so that neither
// their category nor a fine score band can be learned from the report.
Status CountReadableHits(Database& db, int64_t list_id, const RecordReadable& readable,
                         JobReport* report) {
  std::map<std::string, int64_t> by_category, by_band;
  Status scanned =
      db.QueryEach("SELECT entity_id, category, score FROM screen_hits WHERE list_id = ?",
                   {list_id}, [&](const SqlRow& row) {
                     if (!readable(row.Text(0))) {
                       ++by_category["restricted"];
                       ++by_band["restricted"];
                       return true;
                     }
                     ++by_category[row.Text(1).empty() ? "unknown" : row.Text(1)];
                     ++by_band[BandOf(row.Real(2))];
                     return true;
                   });
  if (!scanned.ok()) return scanned;
  report->by_category.assign(by_category.begin(), by_category.end());
  for (const Band& band : kBands) report->by_band.emplace_back(band.name, by_band[band.name]);
  if (by_band.count("restricted"))
    report->by_band.emplace_back("restricted", by_band["restricted"]);
  return Status::Ok();
}

Result<int64_t> Count(Database& db, const std::string& sql, const std::vector<SqlValue>& params) {
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db.Query(sql, params));
  return rows.empty() ? int64_t{0} : rows[0].Int(0);
}

}  // namespace

Result<JobReport> BuildJobReport(Database& db, JobId id, const RecordReadable& readable) {
  JobReport report;
  ENTENTE_ASSIGN_OR_RETURN(report.job, GetJob(db, id));
  const int64_t list_id = report.job.list_id;
  ENTENTE_ASSIGN_OR_RETURN(
      report.rows_with_hits,
      Count(db, "SELECT COUNT(DISTINCT row_idx) FROM screen_hits WHERE list_id = ?", {list_id}));
  ENTENTE_ASSIGN_OR_RETURN(
      report.rows_warned,
      Count(db,
            "SELECT COUNT(DISTINCT line) FROM screen_row_errors WHERE list_id = ?"
            " AND kind = 'warning'",
            {list_id}));
  ENTENTE_ASSIGN_OR_RETURN(
      report.rescreen_hits,
      Count(db, "SELECT COUNT(*) FROM screen_hits WHERE list_id = ? AND origin = 'rescreen'",
            {list_id}));
  ENTENTE_ASSIGN_OR_RETURN(
      report.alerts, Count(db, "SELECT COUNT(*) FROM screen_alerts WHERE list_id = ?", {list_id}));
  if (readable) {
    ENTENTE_RETURN_IF_ERROR(CountReadableHits(db, list_id, readable, &report));
  } else {
    for (const Band& band : kBands) {
      ENTENTE_ASSIGN_OR_RETURN(
          int64_t n, Count(db,
                           "SELECT COUNT(*) FROM screen_hits WHERE list_id = ? AND score >= ?"
                           " AND score < ?",
                           {list_id, band.low, band.high}));
      report.by_band.emplace_back(band.name, n);
    }
    ENTENTE_ASSIGN_OR_RETURN(report.by_category, GroupCount(db, "category", list_id));
  }
  ENTENTE_ASSIGN_OR_RETURN(auto statuses, GroupCount(db, "status", list_id));
  for (const char* status : kStatuses) {
    int64_t n = 0;
    for (const auto& [name, count] : statuses) {
      if (name == status) n = count;
    }
    report.by_status.emplace_back(status, n);
  }
  return report;
}

std::string JobReportToJson(const JobReport& report) {
  using nlohmann::json;
  auto object = [](const JobReport::Counts& counts) {
    json out = json::object();
    for (const auto& [key, value] : counts) out[key] = value;
    return out;
  };
  const JobInfo& job = report.job;
  json j = {{"job", json::parse(JobToJson(job))},
            {"rows",
             {{"total", job.rows_total + job.rows_rejected},
              {"accepted", job.rows_total},
              {"screened", job.rows_done - job.rows_failed},
              {"rejected", job.rows_rejected},
              {"not_screened", job.rows_failed},
              {"with_warnings", report.rows_warned},
              {"with_hits", report.rows_with_hits}}},
            {"hits",
             {{"total", job.hits + report.rescreen_hits},
              {"from_job", job.hits},
              {"from_rescreen", report.rescreen_hits},
              {"by_score_band", object(report.by_band)},
              {"by_category", object(report.by_category)},
              {"by_decision", object(report.by_status)}}},
            {"alerts", report.alerts}};
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string JobReportToCsv(const JobReport& report) {
  const JobInfo& job = report.job;
  std::string out = "section,key,value\n";
  auto line = [&out](const std::string& section, const std::string& key, const std::string& value) {
    out += section + "," + CsvField(key) + "," + CsvField(value) + "\n";
  };
  line("job", "id", std::to_string(job.id));
  line("job", "list", job.list_name);
  line("job", "status", job.DisplayStatus());
  line("job", "threshold", FormatScore4(job.threshold));
  line("job", "started_by", job.started_by);
  line("job", "started", job.started);
  line("job", "finished", job.finished);
  line("rows", "total", std::to_string(job.rows_total + job.rows_rejected));
  line("rows", "accepted", std::to_string(job.rows_total));
  line("rows", "screened", std::to_string(job.rows_done - job.rows_failed));
  line("rows", "rejected", std::to_string(job.rows_rejected));
  line("rows", "not_screened", std::to_string(job.rows_failed));
  line("rows", "with_warnings", std::to_string(report.rows_warned));
  line("rows", "with_hits", std::to_string(report.rows_with_hits));
  line("hits", "total", std::to_string(job.hits + report.rescreen_hits));
  line("hits", "from_job", std::to_string(job.hits));
  line("hits", "from_rescreen", std::to_string(report.rescreen_hits));
  for (const auto& [key, value] : report.by_band) line("band", key, std::to_string(value));
  for (const auto& [key, value] : report.by_category) line("category", key, std::to_string(value));
  for (const auto& [key, value] : report.by_status) line("decision", key, std::to_string(value));
  line("alerts", "total", std::to_string(report.alerts));
  return out;
}

}  // namespace entente::screen
