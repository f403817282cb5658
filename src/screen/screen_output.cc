#include "screen/screen_output.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/csv.h"

namespace entente::screen {
namespace {

using nlohmann::json;

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Left-aligns `text` in a column of `width`; a longer text keeps one space after it.
std::string Pad(std::string text, size_t width) {
  text.append(text.size() < width ? width - text.size() : 1, ' ');
  return text;
}

std::string Percent(int64_t done, int64_t total) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f%%", total > 0 ? 100.0 * done / total : 100.0);
  return text;
}

}  // namespace

std::optional<OutputFormat> ParseOutputFormat(std::string_view text) {
  if (text == "table") return OutputFormat::kTable;
  if (text == "csv") return OutputFormat::kCsv;
  if (text == "jsonl") return OutputFormat::kJsonl;
  return std::nullopt;
}

std::string FormatScore4(double score) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.4f", score);
  return text;
}

std::string HitToJson(const HitInfo& hit) {
  json j = {{"hit_id", hit.hit_id},
            {"list", hit.list_name},
            {"job_id", hit.job_id},
            {"query_id", hit.row_id},
            {"entity_id", hit.entity_id},
            {"entity_version", hit.entity_version},
            {"source_id", hit.source_id},
            {"score", hit.score},
            {"matched_name", hit.matched_name},
            {"explanation", hit.explanation},
            {"category", hit.category},
            {"origin", hit.origin},
            {"changed", hit.changed},
            {"status", hit.status},
            {"decision", hit.decision},
            {"decided_by", hit.decided_by},
            {"decided_at", hit.decided_at},
            {"raised", hit.raised}};
  return Dump(j);
}

std::string AlertToJson(const AlertInfo& alert) {
  json j = {{"alert_id", alert.alert_id},
            {"list", alert.list_name},
            {"row_id", alert.row_id},
            {"entity_id", alert.entity_id},
            {"entity_version", alert.entity_version},
            {"source_id", alert.source_id},
            {"matched_name", alert.matched_name},
            {"score", alert.score},
            {"kind", alert.kind},
            {"why", alert.why},
            {"hit_id", alert.hit_id},
            {"hit_status", alert.hit_status},
            {"change_seq", alert.change_seq},
            {"raised", alert.raised}};
  return Dump(j);
}

std::string JobToJson(const JobInfo& job) {
  json j = {{"job_id", job.id},
            {"list", job.list_name},
            {"status", job.DisplayStatus()},
            {"threshold", job.threshold},
            {"top", job.top},
            {"rows_total", job.rows_total},
            {"rows_done", job.rows_done},
            {"progress", job.rows_total > 0 ? static_cast<double>(job.rows_done) /
                                                  static_cast<double>(job.rows_total)
                                            : (job.status == "done" ? 1.0 : 0.0)},
            {"rows_failed", job.rows_failed},
            {"rows_rejected", job.rows_rejected},
            {"hits", job.hits},
            {"watch_seq", job.watch_seq},
            {"started_by", job.started_by},
            {"started", job.started},
            {"updated", job.updated},
            {"finished", job.finished},
            {"runs", job.runs},
            {"message", job.message},
            {"chunks",
             {{"total", job.chunks_total},
              {"done", job.chunks_done},
              {"leased", job.chunks_leased},
              {"pending", job.chunks_pending}}}};
  return Dump(j);
}

HitWriter::HitWriter(std::ostream& out, OutputFormat format) : out_(out), format_(format) {}

void HitWriter::Header() {
  if (header_done_) return;
  header_done_ = true;
  if (format_ == OutputFormat::kCsv) {
    out_ << "query_id,entity_id,source_id,score,matched_name,explanation,hit_id,status\n";
  } else if (format_ == OutputFormat::kTable) {
    out_ << Pad("HIT", 8) << Pad("STATUS", 11) << Pad("LIST", 14) << Pad("ROW", 12)
         << Pad("SOURCE", 14) << Pad("SCORE", 8) << Pad("MATCHED NAME", 32) << "EXPLANATION\n";
  }
}

void HitWriter::Write(const HitInfo& hit) {
  Header();
  ++count_;
  switch (format_) {
    case OutputFormat::kCsv:
      out_ << CsvField(hit.row_id) << ',' << CsvField(hit.entity_id) << ','
           << CsvField(hit.source_id) << ',' << FormatScore4(hit.score) << ','
           << CsvField(hit.matched_name) << ',' << CsvField(hit.explanation) << ',' << hit.hit_id
           << ',' << hit.status << '\n';
      break;
    case OutputFormat::kJsonl:
      out_ << HitToJson(hit) << '\n';
      break;
    case OutputFormat::kTable:
      out_ << Pad(std::to_string(hit.hit_id), 8) << Pad(hit.status, 11) << Pad(hit.list_name, 14)
           << Pad(hit.row_id, 12) << Pad(hit.source_id, 14) << Pad(FormatScore4(hit.score), 8)
           << Pad(hit.matched_name, 32) << hit.explanation;
      if (!hit.changed.empty()) out_ << " [changed: " << hit.changed << "]";
      if (!hit.decided_by.empty()) {
        out_ << " [" << hit.decision << " by " << hit.decided_by << "]";
      }
      out_ << '\n';
      break;
  }
}

void HitWriter::Finish() {
  if (format_ == OutputFormat::kTable && count_ == 0) {
    out_ << "no hits\n";
    return;
  }
  Header();
}

void WriteAlerts(std::ostream& out, OutputFormat format, const std::vector<AlertInfo>& alerts) {
  if (format == OutputFormat::kCsv) {
    out << "alert_id,list,row_id,entity_id,entity_version,source_id,matched_name,score,kind,why,"
           "hit_id,hit_status,raised\n";
    for (const AlertInfo& a : alerts) {
      out << a.alert_id << ',' << CsvField(a.list_name) << ',' << CsvField(a.row_id) << ','
          << CsvField(a.entity_id) << ',' << a.entity_version << ',' << CsvField(a.source_id) << ','
          << CsvField(a.matched_name) << ',' << FormatScore4(a.score) << ',' << a.kind << ','
          << CsvField(a.why) << ',' << a.hit_id << ',' << a.hit_status << ',' << a.raised << '\n';
    }
    return;
  }
  if (format == OutputFormat::kJsonl) {
    for (const AlertInfo& a : alerts) out << AlertToJson(a) << '\n';
    return;
  }
  if (alerts.empty()) {
    out << "no alerts\n";
    return;
  }
  out << Pad("ALERT", 7) << Pad("RAISED", 26) << Pad("LIST", 14) << Pad("ROW", 12)
      << Pad("KIND", 14) << Pad("ENTITY", 16) << Pad("SCORE", 8) << "WHY\n";
  for (const AlertInfo& a : alerts) {
    std::string entity = a.source_id.empty() ? a.entity_id : a.source_id;
    entity += " v" + std::to_string(a.entity_version);
    out << Pad(std::to_string(a.alert_id), 7) << Pad(a.raised, 26) << Pad(a.list_name, 14)
        << Pad(a.row_id, 12) << Pad(a.kind, 14) << Pad(entity, 16) << Pad(FormatScore4(a.score), 8)
        << a.why << " (hit " << a.hit_id << ", " << a.hit_status << ")\n";
  }
}

void WriteJobs(std::ostream& out, OutputFormat format, const std::vector<JobInfo>& jobs) {
  if (format == OutputFormat::kCsv) {
    out << "job_id,list,status,rows_done,rows_total,rows_rejected,rows_failed,hits,threshold,"
           "started_by,started,finished\n";
    for (const JobInfo& j : jobs) {
      out << j.id << ',' << CsvField(j.list_name) << ',' << j.DisplayStatus() << ',' << j.rows_done
          << ',' << j.rows_total << ',' << j.rows_rejected << ',' << j.rows_failed << ',' << j.hits
          << ',' << FormatScore4(j.threshold) << ',' << CsvField(j.started_by) << ',' << j.started
          << ',' << j.finished << '\n';
    }
    return;
  }
  if (format == OutputFormat::kJsonl) {
    for (const JobInfo& j : jobs) out << JobToJson(j) << '\n';
    return;
  }
  if (jobs.empty()) {
    out << "no screening jobs\n";
    return;
  }
  out << Pad("JOB", 6) << Pad("LIST", 18) << Pad("STATUS", 13) << Pad("PROGRESS", 26)
      << Pad("HITS", 9) << Pad("REJECTED", 10) << Pad("CHUNKS D/L/P", 15) << Pad("BY", 12)
      << "STARTED\n";
  for (const JobInfo& j : jobs) {
    std::string progress = std::to_string(j.rows_done) + "/" + std::to_string(j.rows_total) + " (" +
                           Percent(j.rows_done, j.rows_total) + ")";
    out << Pad(std::to_string(j.id), 6) << Pad(j.list_name, 18) << Pad(j.DisplayStatus(), 13)
        << Pad(progress, 26) << Pad(std::to_string(j.hits), 9)
        << Pad(std::to_string(j.rows_rejected), 10)
        << Pad(std::to_string(j.chunks_done) + "/" + std::to_string(j.chunks_leased) + "/" +
                   std::to_string(j.chunks_pending),
               15)
        << Pad(j.started_by, 12) << j.started;
    if (!j.message.empty()) out << "  " << j.message;
    out << '\n';
  }
}

}  // namespace entente::screen
