#include "risk/screen_signals.h"

#include <map>
#include <set>
#include <unordered_map>

#include "screen/alerts.h"
#include "screen/hit_review.h"
#include "screen/list_rows.h"
#include "screen/screen_schema.h"
#include "screen/screening_job.h"

namespace entente::risk {
namespace {

bool IsLiveHit(const std::string& status) {
  return status != "withdrawn" && status != "superseded";
}

bool IsOpenAlert(const screen::AlertInfo& alert) {
  return alert.kind != "withdrawn" && alert.hit_status == "open";
}

}  // namespace

Result<ListSubjects> SubjectsOfList(Database& db, const std::string& list_name) {
  ENTENTE_RETURN_IF_ERROR(screen::MigrateScreen(db));
  ENTENTE_ASSIGN_OR_RETURN(int64_t list_id, screen::FindList(db, list_name));
  ListSubjects out;
  std::unordered_map<int64_t, std::string> row_names;
  ENTENTE_RETURN_IF_ERROR(screen::ForEachListRow(db, list_id, [&](screen::ListRow&& row) {
    ++out.rows;
    row_names[row.row_idx] = row.name + (row.row_id.empty() ? "" : " [" + row.row_id + "]");
    return true;
  }));
  std::map<int64_t, std::vector<int64_t>> open_alerts_by_hit;
  screen::AlertFilter alert_filter;
  alert_filter.list_name = list_name;
  ENTENTE_ASSIGN_OR_RETURN(std::vector<screen::AlertInfo> alerts,
                           screen::ListAlerts(db, alert_filter));
  for (const auto& alert : alerts) {
    if (IsOpenAlert(alert)) open_alerts_by_hit[alert.hit_id].push_back(alert.alert_id);
  }
  std::set<int64_t> rows_with_hits;
  screen::HitFilter filter;
  filter.list_name = list_name;
  Status status = screen::ForEachHit(db, filter, [&](const screen::HitInfo& hit) {
    if (!IsLiveHit(hit.status)) return true;
    RiskSubject subject;
    subject.entity_id = hit.entity_id;
    auto name = row_names.find(hit.row_idx);
    subject.label = name != row_names.end() ? name->second : "row " + std::to_string(hit.row_idx);
    subject.match_score = hit.score;
    subject.match_detail = hit.explanation;
    subject.hit_id = hit.hit_id;
    subject.decision = hit.decision.empty() && hit.status != "open" ? hit.status : hit.decision;
    if (subject.decision == "open") subject.decision.clear();
    subject.decision_by = hit.decided_by;
    auto alerts_it = open_alerts_by_hit.find(hit.hit_id);
    if (alerts_it != open_alerts_by_hit.end()) subject.open_alert_ids = alerts_it->second;
    out.subjects.push_back(std::move(subject));
    out.row_of.push_back(hit.row_idx);
    rows_with_hits.insert(hit.row_idx);
    return true;
  });
  ENTENTE_RETURN_IF_ERROR(status);
  out.rows_without_hits = out.rows - static_cast<int64_t>(rows_with_hits.size());
  return out;
}

Result<RiskSubject> SubjectForEntity(Database& db, const std::string& entity_id) {
  ENTENTE_RETURN_IF_ERROR(screen::MigrateScreen(db));
  RiskSubject subject;
  subject.entity_id = entity_id;
  ENTENTE_ASSIGN_OR_RETURN(std::vector<screen::AlertInfo> alerts,
                           screen::ListAlerts(db, screen::AlertFilter{}));
  for (const auto& alert : alerts) {
    if (alert.entity_id == entity_id && IsOpenAlert(alert)) {
      subject.open_alert_ids.push_back(alert.alert_id);
    }
  }
  return subject;
}

std::vector<RiskAssessment> BestPerRow(const std::vector<RiskAssessment>& ranked,
                                       const std::vector<RiskSubject>& subjects,
                                       const std::vector<int64_t>& row_of) {
  std::unordered_map<int64_t, int64_t> row_of_hit;
  for (size_t idx = 0; idx < subjects.size(); ++idx) row_of_hit[subjects[idx].hit_id] = row_of[idx];
  std::set<int64_t> seen_rows;
  std::vector<RiskAssessment> best;
  for (const RiskAssessment& assessment : ranked) {  // already best first
    auto row = row_of_hit.find(assessment.hit_id);
    if (row == row_of_hit.end() || seen_rows.insert(row->second).second) best.push_back(assessment);
  }
  return best;
}

}  // namespace entente::risk
