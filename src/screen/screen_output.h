// How hits, alerts and jobs are written for people (an aligned table) and for programs (CSV with
// a fixed header, JSON lines). The hits CSV has the columns of `entente screen`'s output plus
// the review columns: query_id,entity_id,source_id,score,matched_name,explanation,hit_id,status.
// Thread-safety: a writer is used from one thread.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "screen/alerts.h"
#include "screen/hit_review.h"
#include "screen/screening_job.h"

namespace entente::screen {

enum class OutputFormat { kTable, kCsv, kJsonl };
// "table", "csv", "jsonl".
std::optional<OutputFormat> ParseOutputFormat(std::string_view text);

// Scores are written with 4 decimals.
std::string FormatScore4(double score);

class HitWriter {
 public:
  HitWriter(std::ostream& out, OutputFormat format);
  void Write(const HitInfo& hit);
  // Writes the header even when no hit was written (CSV), or "no hits" (table).
  void Finish();
  int64_t count() const { return count_; }

 private:
  void Header();
  std::ostream& out_;
  OutputFormat format_;
  int64_t count_ = 0;
  bool header_done_ = false;
};

void WriteAlerts(std::ostream& out, OutputFormat format, const std::vector<AlertInfo>& alerts);
void WriteJobs(std::ostream& out, OutputFormat format, const std::vector<JobInfo>& jobs);

// One JSON object per hit / alert / job, as used by the jsonl formats (and the server).
std::string HitToJson(const HitInfo& hit);
std::string AlertToJson(const AlertInfo& alert);
std::string JobToJson(const JobInfo& job);

}  // namespace entente::screen
