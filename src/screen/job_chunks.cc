#include "screen/job_chunks.h"

#include <algorithm>
#include <vector>

#include "common/ids.h"
#include "common/time.h"
#include "screen/process_owner.h"

namespace entente::screen {
namespace {

// The claim: the first pending or expired chunk of a running job, locked so that a concurrent
// claim skips it. SQLite has one writer at a time, so the same statement without the lock
// clause is already exclusive.
std::string ClaimSql(const Database& db, bool one_job) {
  std::string pick =
      "SELECT c.job_id, c.chunk_no FROM screen_job_chunks c"
      " JOIN screen_jobs j ON j.job_id = c.job_id"
      " WHERE j.status = 'running' AND (c.state = 'pending' OR"
      " (c.state = 'leased' AND c.lease_deadline_ms < ?))";
  if (one_job) pick += " AND c.job_id = ?";
  pick += " ORDER BY c.job_id, c.chunk_no LIMIT 1";
  if (db.backend() == DatabaseBackend::kPostgres) pick += " FOR UPDATE OF c SKIP LOCKED";
  return "UPDATE screen_job_chunks SET state = 'leased', lease_owner = ?, lease_host = ?,"
         " lease_pid = ?, lease_deadline_ms = ?, attempts = attempts + 1"
         " WHERE (job_id, chunk_no) IN (" +
         pick + ") RETURNING job_id, chunk_no, row_from, row_to, attempts";
}

}  // namespace

std::string NewLeaseOwner() {
  return ThisHost() + "/" + std::to_string(ThisPid()) + "/" + RandomHex(6);
}

Status CreateChunks(Database& db, int64_t job_id, int64_t rows_total, int64_t rows_done,
                    int64_t chunk_rows) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto existing, db.Query("SELECT COUNT(*) FROM screen_job_chunks WHERE job_id = ?", {job_id}));
  if (!existing.empty() && existing[0].Int(0) > 0) return Status::Ok();
  chunk_rows = std::max<int64_t>(1, chunk_rows);
  int64_t chunk_no = 0;
  for (int64_t from = 0; from < rows_total; from += chunk_rows, ++chunk_no) {
    const int64_t to = std::min(rows_total, from + chunk_rows);
    const bool done = to <= rows_done;
    ENTENTE_RETURN_IF_ERROR(
        db.Execute("INSERT INTO screen_job_chunks (job_id, chunk_no, row_from, row_to, state)"
                   " VALUES (?, ?, ?, ?, ?)",
                   {job_id, chunk_no, from, to, std::string(done ? "done" : "pending")}));
  }
  return Status::Ok();
}

Result<std::optional<LeasedChunk>> ClaimChunk(Database& db, const std::string& owner,
                                              int64_t lease_ms, int64_t only_job) {
  const int64_t now = NowMillis();
  // Built whole (not push_back): GCC 12 warns of a maybe-uninitialized variant otherwise.
  const std::vector<SqlValue> params =
      only_job != 0
          ? std::vector<SqlValue>{owner, ThisHost(), ThisPid(), now + lease_ms, now, only_job}
          : std::vector<SqlValue>{owner, ThisHost(), ThisPid(), now + lease_ms, now};
  Transaction tx(&db);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db.Query(ClaimSql(db, only_job != 0), params));
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  if (rows.empty()) return std::optional<LeasedChunk>();
  LeasedChunk chunk;
  chunk.job_id = rows[0].Int(0);
  chunk.chunk_no = rows[0].Int(1);
  chunk.row_from = rows[0].Int(2);
  chunk.row_to = rows[0].Int(3);
  chunk.attempts = static_cast<int>(rows[0].Int(4));
  chunk.owner = owner;
  return std::optional<LeasedChunk>(std::move(chunk));
}

Status RenewLease(Database& db, const LeasedChunk& chunk, int64_t lease_ms) {
  ENTENTE_RETURN_IF_ERROR(db.Execute(
      "UPDATE screen_job_chunks SET lease_deadline_ms = ? WHERE job_id = ? AND chunk_no = ?"
      " AND lease_owner = ? AND state = 'leased'",
      {NowMillis() + lease_ms, chunk.job_id, chunk.chunk_no, chunk.owner}));
  if (db.ChangedRows() == 0) {
    return Conflict("job " + std::to_string(chunk.job_id) + " chunk " +
                    std::to_string(chunk.chunk_no) + ": lease lost (taken over by another worker)");
  }
  return Status::Ok();
}

Status ReleaseChunk(Database& db, const LeasedChunk& chunk) {
  return db.Execute(
      "UPDATE screen_job_chunks SET state = 'pending', lease_owner = '', lease_deadline_ms = 0,"
      " attempts = attempts - 1"
      " WHERE job_id = ? AND chunk_no = ? AND lease_owner = ? AND state = 'leased'",
      {chunk.job_id, chunk.chunk_no, chunk.owner});
}

Status MarkChunkDone(Database& db, const LeasedChunk& chunk) {
  ENTENTE_RETURN_IF_ERROR(
      db.Execute("UPDATE screen_job_chunks SET state = 'done', done_at = ?, lease_deadline_ms = 0"
                 " WHERE job_id = ? AND chunk_no = ? AND lease_owner = ? AND state = 'leased'",
                 {NowTimestamp(), chunk.job_id, chunk.chunk_no, chunk.owner}));
  if (db.ChangedRows() == 0) {
    return Conflict("job " + std::to_string(chunk.job_id) + " chunk " +
                    std::to_string(chunk.chunk_no) +
                    ": lease lost before commit; the other worker's result stands");
  }
  return Status::Ok();
}

Result<int64_t> ExpireDeadLeases(Database& db, int64_t only_job) {
  std::string sql =
      "SELECT job_id, chunk_no, lease_owner, lease_pid FROM screen_job_chunks"
      " WHERE state = 'leased' AND lease_host = ?";
  if (only_job != 0) sql += " AND job_id = ?";
  const std::vector<SqlValue> params = only_job != 0 ? std::vector<SqlValue>{ThisHost(), only_job}
                                                     : std::vector<SqlValue>{ThisHost()};
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db.Query(sql, params));
  int64_t expired = 0;
  for (const SqlRow& row : rows) {
    if (OwnerAlive(ThisHost(), row.Int(3), 0)) continue;
    ENTENTE_RETURN_IF_ERROR(db.Execute(
        "UPDATE screen_job_chunks SET lease_deadline_ms = 0 WHERE job_id = ? AND chunk_no = ?"
        " AND lease_owner = ? AND state = 'leased'",
        {row.Int(0), row.Int(1), row.Text(2)}));
    expired += db.ChangedRows();
  }
  return expired;
}

Result<ChunkCounts> CountChunks(Database& db, int64_t job_id) {
  ENTENTE_ASSIGN_OR_RETURN(auto rows,
                           db.Query("SELECT state, COUNT(*) FROM screen_job_chunks WHERE job_id = ?"
                                    " GROUP BY state",
                                    {job_id}));
  ChunkCounts counts;
  for (const SqlRow& row : rows) {
    const std::string state = row.Text(0);
    const int64_t n = row.Int(1);
    counts.total += n;
    if (state == "done") counts.done = n;
    if (state == "leased") counts.leased = n;
    if (state == "pending") counts.pending = n;
  }
  return counts;
}

Result<int64_t> UnfinishedChunks(Database& db, int64_t only_job) {
  std::string sql =
      "SELECT COUNT(*) FROM screen_job_chunks c JOIN screen_jobs j ON j.job_id = c.job_id"
      " WHERE j.status = 'running' AND c.state <> 'done'";
  if (only_job != 0) sql += " AND c.job_id = ?";
  const std::vector<SqlValue> params =
      only_job != 0 ? std::vector<SqlValue>{only_job} : std::vector<SqlValue>{};
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db.Query(sql, params));
  return rows.empty() ? int64_t{0} : rows[0].Int(0);
}

Result<bool> MarkJobDoneIfComplete(Database& db, int64_t job_id) {
  const std::string now = NowTimestamp();
  ENTENTE_RETURN_IF_ERROR(
      db.Execute("UPDATE screen_jobs SET status = 'done', finished = ?, updated = ?, owner_pid = 0,"
                 " owner_host = '' WHERE job_id = ? AND status = 'running' AND NOT EXISTS"
                 " (SELECT 1 FROM screen_job_chunks c WHERE c.job_id = ? AND c.state <> 'done')",
                 {now, now, job_id, job_id}));
  return db.ChangedRows() > 0;
}

}  // namespace entente::screen
