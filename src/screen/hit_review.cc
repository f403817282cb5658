#include "screen/hit_review.h"

#include "common/crash_point.h"
#include "common/text.h"
#include "common/time.h"
#include "screen/screen_schema.h"

namespace entente::screen {
namespace {

constexpr char kHitColumns[] =
    "h.hit_id, h.list_id, l.name, h.job_id, h.row_idx, h.row_id, h.entity_id, h.entity_version,"
    " h.source_id, h.matched_name, h.score, h.explanation, h.category, h.origin, h.changed,"
    " h.status, h.decision, h.decided_by, h.decided_at, h.raised";

HitInfo HitFromRow(const SqlRow& row) {
  HitInfo hit;
  hit.hit_id = row.Int(0);
  hit.list_id = row.Int(1);
  hit.list_name = row.Text(2);
  hit.job_id = row.Int(3);
  hit.row_idx = row.Int(4);
  hit.row_id = row.Text(5);
  hit.entity_id = row.Text(6);
  hit.entity_version = static_cast<int>(row.Int(7));
  hit.source_id = row.Text(8);
  hit.matched_name = row.Text(9);
  hit.score = row.Real(10);
  hit.explanation = row.Text(11);
  hit.category = row.Text(12);
  hit.origin = row.Text(13);
  hit.changed = row.Text(14);
  hit.status = row.Text(15);
  hit.decision = row.Text(16);
  hit.decided_by = row.Text(17);
  hit.decided_at = row.Text(18);
  hit.raised = row.Text(19);
  return hit;
}

Result<HitInfo> LoadHit(Database& db, int64_t hit_id) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db.Query(std::string("SELECT ") + kHitColumns +
                              " FROM screen_hits h JOIN screen_lists l ON l.list_id = h.list_id"
                              " WHERE h.hit_id = ?",
                          {hit_id}));
  if (rows.empty()) return NotFound("no hit " + std::to_string(hit_id));
  return HitFromRow(rows[0]);
}

}  // namespace

std::string_view DecisionName(Decision decision) {
  switch (decision) {
    case Decision::kMatch:
      return "match";
    case Decision::kNoMatch:
      return "no-match";
    case Decision::kRefer:
      return "refer";
  }
  return "refer";
}

std::optional<Decision> ParseDecision(std::string_view text) {
  std::string lower = ToLowerAscii(Trim(text));
  if (lower == "match") return Decision::kMatch;
  if (lower == "no-match" || lower == "nomatch" || lower == "no_match") return Decision::kNoMatch;
  if (lower == "refer") return Decision::kRefer;
  return std::nullopt;
}

bool IsHitStatus(std::string_view text) {
  return text == "open" || text == "match" || text == "no-match" || text == "refer" ||
         text == "superseded" || text == "withdrawn";
}

Status ForEachHit(Database& db, const HitFilter& filter,
                  const std::function<bool(const HitInfo&)>& fn) {
  ENTENTE_RETURN_IF_ERROR(MigrateScreen(db));
  if (!filter.status.empty() && !IsHitStatus(filter.status)) {
    return InvalidArgument("status: '" + filter.status +
                           "' is not one of open, match, no-match, refer, superseded, withdrawn");
  }
  std::string sql = std::string("SELECT ") + kHitColumns +
                    " FROM screen_hits h JOIN screen_lists l ON l.list_id = h.list_id WHERE 1 = 1";
  std::vector<SqlValue> params;
  if (!filter.list_name.empty()) {
    ENTENTE_ASSIGN_OR_RETURN(auto lists, db.Query("SELECT list_id FROM screen_lists WHERE name = ?",
                                                  {filter.list_name}));
    if (lists.empty()) return NotFound("no screening list named '" + filter.list_name + "'");
    sql += " AND h.list_id = ?";
    params.push_back(lists[0].Int(0));
  }
  if (!filter.status.empty()) {
    sql += " AND h.status = ?";
    params.push_back(filter.status);
  }
  if (filter.job_id > 0) {
    sql += " AND h.job_id = ?";
    params.push_back(filter.job_id);
  }
  if (filter.after_hit_id) {
    sql += " AND h.hit_id > ? ORDER BY h.hit_id";
    params.push_back(*filter.after_hit_id);
  } else {
    sql += " ORDER BY h.list_id, h.hit_id";
  }
  if (filter.limit > 0) {
    sql += " LIMIT ?";
    params.push_back(filter.limit);
  }
  return db.QueryEach(sql, params, [&fn](const SqlRow& row) { return fn(HitFromRow(row)); });
}

Result<std::vector<HitInfo>> ListHits(Database& db, const HitFilter& filter) {
  std::vector<HitInfo> hits;
  ENTENTE_RETURN_IF_ERROR(ForEachHit(db, filter, [&hits](const HitInfo& hit) {
    hits.push_back(hit);
    return true;
  }));
  return hits;
}

Result<HitInfo> GetHit(Database& db, int64_t hit_id) {
  ENTENTE_RETURN_IF_ERROR(MigrateScreen(db));
  return LoadHit(db, hit_id);
}

Result<HitInfo> Decide(Database& db, const DecideRequest& request) {
  if (Trim(request.reason).empty()) return InvalidArgument("reason: a decision needs a reason");
  if (!IsValidUtf8(request.reason)) return InvalidArgument("reason: invalid UTF-8");
  if (Trim(request.user).empty()) return InvalidArgument("user: who decides must be known");
  ENTENTE_RETURN_IF_ERROR(MigrateScreen(db));
  Transaction tx(&db);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_ASSIGN_OR_RETURN(HitInfo hit, LoadHit(db, request.hit_id));
  const bool final_by_other =
      (hit.decision == "match" || hit.decision == "no-match") && hit.decided_by != request.user;
  if (final_by_other && !request.force) {
    return Conflict("hit " + std::to_string(hit.hit_id) + " was already decided '" + hit.decision +
                    "' by " + hit.decided_by + " at " + hit.decided_at +
                    "; use --force to overwrite another officer's decision");
  }
  const std::string decision(DecisionName(request.decision));
  const std::string now = NowTimestamp();
  ENTENTE_RETURN_IF_ERROR(db.Execute(
      "INSERT INTO screen_decisions (hit_id, decision, reason, decided_by, decided_at, previous,"
      " forced) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {hit.hit_id, decision, std::string(Trim(request.reason)), request.user, now, hit.status,
       int64_t{final_by_other ? 1 : 0}}));
  // A withdrawn or superseded hit keeps that status; the decision is still recorded on it.
  const bool keep_status = hit.status == "withdrawn" || hit.status == "superseded";
  ENTENTE_RETURN_IF_ERROR(
      db.Execute("UPDATE screen_hits SET status = ?, decision = ?, decided_by = ?, decided_at = ?"
                 " WHERE hit_id = ?",
                 {keep_status ? hit.status : decision, decision, request.user, now, hit.hit_id}));
  ENTENTE_ASSIGN_OR_RETURN(HitInfo decided, LoadHit(db, request.hit_id));
  if (request.in_transaction) ENTENTE_RETURN_IF_ERROR(request.in_transaction(db, decided));
  CrashPoint("review.before_commit");
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  return decided;
}

Result<std::vector<DecisionRecord>> DecisionsOf(Database& db, int64_t hit_id) {
  ENTENTE_RETURN_IF_ERROR(MigrateScreen(db));
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db.Query("SELECT decision_id, hit_id, decision, reason, decided_by, decided_at,"
                          " previous, forced FROM screen_decisions WHERE hit_id = ?"
                          " ORDER BY decision_id",
                          {hit_id}));
  std::vector<DecisionRecord> out;
  for (const SqlRow& row : rows) {
    out.push_back(DecisionRecord{row.Int(0), row.Int(1), row.Text(2), row.Text(3), row.Text(4),
                                 row.Text(5), row.Text(6), row.Int(7) != 0});
  }
  return out;
}

}  // namespace entente::screen
