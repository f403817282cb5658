#include "screen/chunk_work.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>

#include "common/crash_point.h"
#include "common/time.h"
#include "screen/list_row_writer.h"
#include "screen/list_rows.h"
#include "screen/parallel_match.h"
#include "store/multi_row_sql.h"

namespace entente::screen {

ChunkProcessor::ChunkProcessor(Database& db, int threads, int64_t lease_ms)
    : db_(db),
      store_(&db),
      threads_(ThreadCount(threads)),
      lease_ms_(std::max<int64_t>(lease_ms, 30)) {}

std::string ChunkProcessor::Category(const std::string& entity_id) {
  auto it = categories_.find(entity_id);
  if (it != categories_.end()) return it->second;
  std::string category;
  auto entity = store_.GetEntity(entity_id);
  if (entity.ok()) category = std::string(ThreatCategoryName(entity->meta.category));
  categories_.emplace(entity_id, category);
  return category;
}

Result<ChunkResult> ChunkProcessor::Process(const JobInfo& job, const LeasedChunk& chunk,
                                            const MatchIndex& index, int64_t watch_seq) {
  ENTENTE_ASSIGN_OR_RETURN(Started started, Start(job, chunk, index));
  ENTENTE_ASSIGN_OR_RETURN(RowMatches matches, Wait(started));
  return Commit(job, started, matches, watch_seq);
}

Result<ChunkProcessor::Started> ChunkProcessor::Start(const JobInfo& job, const LeasedChunk& chunk,
                                                      const MatchIndex& index) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto read, ReadListRows(db_, job.list_id, chunk.row_from, chunk.row_to - chunk.row_from));
  Started started;
  started.chunk = chunk;
  started.rows = std::make_shared<const std::vector<ListRow>>(std::move(read));
  const int top = job.top;
  const double threshold = job.threshold;
  const int threads = threads_;
  started.matching =
      std::async(std::launch::async, [&index, rows = started.rows, top, threshold, threads] {
        return MatchRows(index, *rows, top, threshold, threads);
      });
  return started;
}

Result<RowMatches> ChunkProcessor::Wait(Started& started) {
  const auto renew_every = std::chrono::milliseconds(std::max<int64_t>(10, lease_ms_ / 3));
  while (started.matching.wait_for(renew_every) != std::future_status::ready) {
    Status renewed = RenewLease(db_, started.chunk, lease_ms_);
    if (!renewed.ok()) {
      started.matching.wait();
      return renewed;
    }
  }
  return started.matching.get();
}

Result<ChunkResult> ChunkProcessor::Commit(const JobInfo& job, const Started& started,
                                           const RowMatches& matches, int64_t watch_seq) {
  ChunkResult result;
  Status written = Write(job, started.chunk, *started.rows, matches, watch_seq, &result);
  if (!written.ok()) {
    if (db_.InTransaction()) (void)db_.Rollback();
    return written;
  }
  return result;
}

Status ChunkProcessor::Write(const JobInfo& job, const LeasedChunk& chunk,
                             const std::vector<ListRow>& rows, const RowMatches& matches,
                             int64_t watch_seq, ChunkResult* result) {
  Transaction tx(&db_);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  // First: the chunk row, which locks it and proves the lease is still ours.
  ENTENTE_RETURN_IF_ERROR(MarkChunkDone(db_, chunk));
  const std::string now = NowTimestamp();
  struct HitRow {
    const ListRow* row;
    const MatchResult* hit;
    std::string explanation;
  };
  std::vector<HitRow> hits;
  for (size_t row_pos = 0; row_pos < rows.size(); ++row_pos) {
    const ListRow& row = rows[row_pos];
    if (!matches.errors[row_pos].ok()) {
      RowError error{row.source_file, row.line, row.row_id, matches.errors[row_pos].message(),
                     "not-screened"};
      ENTENTE_RETURN_IF_ERROR(StoreRowError(db_, job.list_id, error));
      result->refused.push_back(std::move(error));
      ++result->failed;
      continue;
    }
    for (const MatchResult& hit : matches.hits[row_pos]) {
      if (hit.score >= job.threshold) hits.push_back({&row, &hit, hit.Explanation()});
    }
  }
  // Many hits per statement (one round trip each on PostgreSQL); a row's hit already stored
  // (by a worker whose lease was taken over) is kept, not doubled.
  static const MultiRowSql insert_hits(
      "INSERT INTO screen_hits (list_id, job_id, row_idx, row_id, entity_id, entity_version,"
      " source_id, matched_name, score, explanation, category, origin, raised) VALUES ",
      13, " ON CONFLICT (list_id, row_id, entity_id, entity_version) DO NOTHING");
  std::vector<std::string> categories;
  categories.reserve(hits.size());
  for (const HitRow& h : hits) categories.push_back(Category(h.hit->entity_id));
  std::vector<SqlParam> params;
  ENTENTE_RETURN_IF_ERROR(ExecuteChunked(
      db_, hits.size(), [](size_t n) -> const std::string& { return insert_hits.For(n); },
      [&](size_t i, std::vector<SqlParam>* p) {
        const HitRow& h = hits[i];
        p->push_back(job.list_id);
        p->push_back(job.id);
        p->push_back(h.row->row_idx);
        p->push_back(std::string_view(h.row->row_id));
        p->push_back(std::string_view(h.hit->entity_id));
        p->push_back(int64_t{h.hit->entity_version});
        p->push_back(std::string_view(h.hit->source_record_id));
        p->push_back(std::string_view(h.hit->matched_name));
        p->push_back(h.hit->score);
        p->push_back(std::string_view(h.explanation));
        p->push_back(std::string_view(categories[i]));
        p->push_back(std::string_view("job"));
        p->push_back(std::string_view(now));
      },
      &params, [&](size_t) { result->hits += db_.ChangedRows(); }));
  result->rows = static_cast<int64_t>(rows.size());
  ENTENTE_RETURN_IF_ERROR(
      db_.Execute("UPDATE screen_job_chunks SET hits = ? WHERE job_id = ? AND chunk_no = ?",
                  {result->hits, chunk.job_id, chunk.chunk_no}));
  ENTENTE_RETURN_IF_ERROR(
      db_.Execute("UPDATE screen_jobs SET rows_done = rows_done + ?, hit_count = hit_count + ?,"
                  " rows_failed = rows_failed + ?, updated = ?,"
                  " watch_seq = CASE WHEN watch_seq = 0 THEN ? ELSE watch_seq END WHERE job_id = ?",
                  {result->rows, result->hits, result->failed, now, watch_seq, job.id}));
  // The list counts as checked up to the oldest watchlist state any of its rows saw.
  ENTENTE_RETURN_IF_ERROR(
      db_.Execute("UPDATE screen_lists SET checked_seq = ? WHERE list_id = ?"
                  " AND (checked_seq < 0 OR checked_seq > ?)",
                  {watch_seq, job.list_id, watch_seq}));
  CrashPoint("screen.batch_before_commit");
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  CrashPoint("screen.batch_committed");
  return Status::Ok();
}

}  // namespace entente::screen
