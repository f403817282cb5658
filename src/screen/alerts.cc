#include "screen/alerts.h"

#include "screen/screen_schema.h"

namespace entente::screen {

Result<std::vector<AlertInfo>> ListAlerts(Database& db, const AlertFilter& filter) {
  ENTENTE_RETURN_IF_ERROR(MigrateScreen(db));
  if (!filter.kind.empty() && filter.kind != "new-hit" && filter.kind != "raised-again" &&
      filter.kind != "withdrawn") {
    return InvalidArgument("kind: '" + filter.kind +
                           "' is not one of new-hit, raised-again, withdrawn");
  }
  std::string sql =
      "SELECT a.alert_id, l.name, a.hit_id, h.row_id, h.entity_id, h.entity_version, h.source_id,"
      " h.matched_name, h.score, a.kind, a.why, a.change_seq, a.raised, h.status"
      " FROM screen_alerts a JOIN screen_hits h ON h.hit_id = a.hit_id"
      " JOIN screen_lists l ON l.list_id = a.list_id WHERE a.alert_id > ?";
  std::vector<SqlValue> params = {filter.after_id};
  if (!filter.list_name.empty()) {
    ENTENTE_ASSIGN_OR_RETURN(auto lists, db.Query("SELECT list_id FROM screen_lists WHERE name = ?",
                                                  {filter.list_name}));
    if (lists.empty()) return NotFound("no screening list named '" + filter.list_name + "'");
    sql += " AND a.list_id = ?";
    params.push_back(lists[0].Int(0));
  }
  if (!filter.kind.empty()) {
    sql += " AND a.kind = ?";
    params.push_back(filter.kind);
  }
  sql += " ORDER BY a.alert_id";
  if (filter.limit > 0) {
    sql += " LIMIT ?";
    params.push_back(filter.limit);
  }
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db.Query(sql, params));
  std::vector<AlertInfo> alerts;
  for (const SqlRow& row : rows) {
    AlertInfo alert;
    alert.alert_id = row.Int(0);
    alert.list_name = row.Text(1);
    alert.hit_id = row.Int(2);
    alert.row_id = row.Text(3);
    alert.entity_id = row.Text(4);
    alert.entity_version = static_cast<int>(row.Int(5));
    alert.source_id = row.Text(6);
    alert.matched_name = row.Text(7);
    alert.score = row.Real(8);
    alert.kind = row.Text(9);
    alert.why = row.Text(10);
    alert.change_seq = row.Int(11);
    alert.raised = row.Text(12);
    alert.hit_status = row.Text(13);
    alerts.push_back(std::move(alert));
  }
  return alerts;
}

}  // namespace entente::screen
