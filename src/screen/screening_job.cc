#include "screen/screening_job.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <optional>
#include <thread>
#include <unordered_map>

#include "common/crash_point.h"
#include "common/text.h"
#include "common/time.h"
#include "screen/chunk_work.h"
#include "screen/job_chunks.h"
#include "screen/list_row_writer.h"
#include "screen/process_owner.h"
#include "screen/row_query.h"
#include "screen/screen_schema.h"
#include "store/record_store.h"

namespace entente::screen {
namespace {

constexpr char kJobColumns[] =
    "j.job_id, j.list_id, l.name, j.status, j.threshold, j.top_k, j.rows_total, j.rows_done,"
    " j.rows_failed, l.rejected_count, j.hit_count, j.watch_seq, j.started_by, j.started,"
    " j.updated, j.finished, j.runs, j.owner_host, j.owner_pid, j.message,"
    " (SELECT COUNT(*) FROM screen_job_chunks c WHERE c.job_id = j.job_id),"
    " (SELECT COUNT(*) FROM screen_job_chunks c WHERE c.job_id = j.job_id AND c.state = 'done'),"
    " (SELECT COUNT(*) FROM screen_job_chunks c WHERE c.job_id = j.job_id"
    " AND c.state = 'leased')";

JobInfo JobFromRow(const SqlRow& row) {
  JobInfo job;
  job.id = row.Int(0);
  job.list_id = row.Int(1);
  job.list_name = row.Text(2);
  job.status = row.Text(3);
  job.threshold = row.Real(4);
  job.top = static_cast<int>(row.Int(5));
  job.rows_total = row.Int(6);
  job.rows_done = row.Int(7);
  job.rows_failed = row.Int(8);
  job.rows_rejected = row.Int(9);
  job.hits = row.Int(10);
  job.watch_seq = row.Int(11);
  job.started_by = row.Text(12);
  job.started = row.Text(13);
  job.updated = row.Text(14);
  job.finished = row.Text(15);
  job.runs = static_cast<int>(row.Int(16));
  job.owner_host = row.Text(17);
  job.owner_pid = row.Int(18);
  job.message = row.Text(19);
  job.chunks_total = row.Int(20);
  job.chunks_done = row.Int(21);
  job.chunks_leased = row.Int(22);
  job.chunks_pending = job.chunks_total - job.chunks_done - job.chunks_leased;
  return job;
}

int64_t TimestampMillis(const std::string& text) {
  int64_t ms = 0;
  return ParseTimestamp(text, &ms) ? ms : 0;
}

Result<JobInfo> LoadJob(Database& db, JobId id) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db.Query(std::string("SELECT ") + kJobColumns +
                              " FROM screen_jobs j JOIN screen_lists l ON l.list_id = j.list_id"
                              " WHERE j.job_id = ?",
                          {id}));
  if (rows.empty()) return NotFound("no screening job " + std::to_string(id));
  return JobFromRow(rows[0]);
}

const MatchEngine& EngineOf(const ScreeningOptions& options) {
  return options.engine ? *options.engine : DefaultMatchEngine();
}

Status CheckListName(const std::string& name) {
  if (Trim(name).empty()) return InvalidArgument("list name: empty");
  if (name.size() > 200) return InvalidArgument("list name: longer than 200 bytes");
  if (!IsValidUtf8(name)) return InvalidArgument("list name: invalid UTF-8");
  return Status::Ok();
}

Status SetJobFailed(Database& db, JobId id, const std::string& message) {
  return db.Execute(
      "UPDATE screen_jobs SET status = 'failed', message = ?, owner_pid = 0, owner_host = '',"
      " updated = ? WHERE job_id = ?",
      {message, NowTimestamp(), id});
}

// Marks the job as run by this process. Conflict when another live process runs it.
Result<JobInfo> ClaimJob(Database& db, JobId id) {
  Transaction tx(&db);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_ASSIGN_OR_RETURN(JobInfo job, LoadJob(db, id));
  if (job.status == "done") return job;
  if (job.owner_pid != 0 && !(job.owner_host == ThisHost() && job.owner_pid == ThisPid()) &&
      OwnerAlive(job.owner_host, job.owner_pid, TimestampMillis(job.updated))) {
    return Conflict("job " + std::to_string(id) + " is being run by process " +
                    std::to_string(job.owner_pid) + " on " + job.owner_host +
                    "; wait for it to finish or stop it first");
  }
  ENTENTE_RETURN_IF_ERROR(db.Execute(
      "UPDATE screen_jobs SET status = 'running', owner_host = ?, owner_pid = ?, runs = runs + 1,"
      " message = '', updated = ? WHERE job_id = ?",
      {ThisHost(), ThisPid(), NowTimestamp(), id}));
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  return LoadJob(db, id);
}

// The watchlist index a run matches against: the caller's, or one built from the store.
struct Watchlist {
  std::unique_ptr<MatchIndex> built;
  const MatchIndex* index = nullptr;
  int64_t seq = 0;
};

Status OpenWatchlist(Database& db, JobId id, const ScreeningOptions& options, Watchlist* out) {
  if (options.watchlist != nullptr) {
    out->index = options.watchlist;
    out->seq = options.watchlist->Stats().applied_seq;
    return Status::Ok();
  }
  RecordStore store(&db);
  out->seq = store.MaxChangeSeq();
  RecordFilter filter;
  filter.types = {"person", "organization"};
  auto result = EngineOf(options).build(store, filter, nullptr);
  if (!result.ok()) {
    std::string message = "building the watchlist index: " + result.status().message();
    (void)SetJobFailed(db, id, message);
    return result.status().WithContext("job " + std::to_string(id));
  }
  out->built = std::move(result).value();
  out->index = out->built.get();
  return Status::Ok();
}

Status StopHere(Database& db, JobId id, int64_t rows_done) {
  ENTENTE_RETURN_IF_ERROR(db.Execute(
      "UPDATE screen_jobs SET owner_pid = 0, owner_host = '', updated = ?, message = ?"
      " WHERE job_id = ?",
      {NowTimestamp(),
       std::string("stopped after row ") + std::to_string(rows_done) + "; resume it to continue",
       id}));
  return Unavailable("job " + std::to_string(id) + " stopped after " + std::to_string(rows_done) +
                     " rows; resume it to continue");
}

// Nothing to claim: true when every chunk is done, else (chunks leased by other workers) waits
// a poll interval for them, or for their leases to lapse, and returns false.
Result<bool> WaitForOtherWorkers(Database& db, JobId id, const ScreeningOptions& options) {
  ENTENTE_ASSIGN_OR_RETURN(int64_t left, UnfinishedChunks(db, id));
  if (left == 0) return true;
  (void)ExpireDeadLeases(db, id);
  std::this_thread::sleep_for(std::chrono::milliseconds(std::max(10, options.poll_ms)));
  return false;
}

// Drives a job to its end: takes its chunks one by one (workers of other processes may take
// some too) and waits for chunks leased by others, taking over those whose lease lapses.
Result<JobInfo> RunJob(Database& db, JobId id, const ScreeningOptions& options,
                       ProgressBar* progress) {
  ENTENTE_ASSIGN_OR_RETURN(JobInfo job, ClaimJob(db, id));
  if (job.status == "done") return job;
  Watchlist watchlist;
  ENTENTE_RETURN_IF_ERROR(OpenWatchlist(db, id, options, &watchlist));
  auto fail = [&](const Status& status) {
    if (db.InTransaction()) (void)db.Rollback();
    (void)db.Execute("UPDATE screen_jobs SET message = ? WHERE job_id = ?", {status.message(), id});
    return status.WithContext("job " + std::to_string(id));
  };
  {
    Transaction tx(&db);
    ENTENTE_RETURN_IF_ERROR(tx.status());
    Status made = CreateChunks(db, id, job.rows_total, job.rows_done, options.batch_rows);
    if (!made.ok()) return fail(made);
    ENTENTE_RETURN_IF_ERROR(tx.Commit());
  }
  if (progress) {
    progress->SetTotal(static_cast<uint64_t>(job.rows_total));
    progress->Update(static_cast<uint64_t>(job.rows_done));
  }
  // A chunk left leased by a killed run of this host is taken again first, in row order.
  (void)ExpireDeadLeases(db, id);
  ChunkProcessor processor(db, options.threads, options.lease_ms);
  const std::string owner = NewLeaseOwner();
  // The next chunk is claimed and matched while the current one is written.
  std::optional<ChunkProcessor::Started> current;
  auto start_next = [&]() -> Result<bool> {
    auto claimed = ClaimChunk(db, owner, options.lease_ms, id);
    if (!claimed.ok()) return claimed.status();
    if (!claimed->has_value()) return false;
    auto started = processor.Start(job, **claimed, *watchlist.index);
    if (!started.ok()) {
      (void)ReleaseChunk(db, **claimed);
      return started.status();
    }
    current.emplace(std::move(started).value());
    return true;
  };
  for (;;) {
    if (!current) {
      auto got = start_next();
      if (!got.ok()) return fail(got.status());
      if (!*got) {
        auto finished = WaitForOtherWorkers(db, id, options);
        if (!finished.ok()) return fail(finished.status());
        if (*finished) break;
        if (options.should_stop && options.should_stop()) return StopHere(db, id, job.rows_done);
        continue;
      }
    }
    ChunkProcessor::Started this_chunk = std::move(*current);
    current.reset();
    auto matches = processor.Wait(this_chunk);
    if (!matches.ok()) {
      if (matches.status().code() == StatusCode::kConflict) continue;  // taken over: not ours
      (void)ReleaseChunk(db, this_chunk.chunk);
      return fail(matches.status());
    }
    const bool stopping = options.should_stop && options.should_stop();
    if (!stopping) {
      auto got = start_next();
      if (!got.ok()) return fail(got.status());
    }
    auto done = processor.Commit(job, this_chunk, *matches, watchlist.seq);
    if (!done.ok()) {
      if (current) {
        if (current->matching.valid()) current->matching.wait();
        (void)ReleaseChunk(db, current->chunk);
        current.reset();
      }
      if (done.status().code() == StatusCode::kConflict) continue;
      (void)ReleaseChunk(db, this_chunk.chunk);
      return fail(done.status());
    }
    if (options.on_row_error) {
      for (const RowError& error : done->refused) options.on_row_error(error);
    }
    auto now = LoadJob(db, id);
    if (now.ok()) job.rows_done = now->rows_done;
    if (progress) progress->Update(static_cast<uint64_t>(job.rows_done));
    if (options.pause_ms_per_batch > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(options.pause_ms_per_batch));
    }
    if (stopping && job.rows_done < job.rows_total) return StopHere(db, id, job.rows_done);
  }
  if (progress) progress->Finish();
  CrashPoint("screen.before_done");
  ENTENTE_RETURN_IF_ERROR(MarkJobDoneIfComplete(db, id).status());
  return LoadJob(db, id);
}

}  // namespace

std::string JobInfo::DisplayStatus() const {
  if (status == "running" && !OwnerAlive(owner_host, owner_pid, TimestampMillis(updated))) {
    // Never driven by a process of its own (jobs start --queue): workers do it.
    if (runs == 0) return chunks_leased > 0 ? "running" : "queued";
    return "interrupted";
  }
  return status;
}

Result<JobInfo> CreateScreeningJob(Database& db, const ScreenListInput& input,
                                   const ScreeningOptions& options) {
  ENTENTE_RETURN_IF_ERROR(CheckListName(input.list_name));
  if (options.top < 1) return InvalidArgument("top: must be at least 1");
  ENTENTE_RETURN_IF_ERROR(MigrateScreen(db));
  ENTENTE_ASSIGN_OR_RETURN(auto reader, ListFileReader::Open(input.input_path));
  double threshold = options.threshold;
  if (threshold < 0) threshold = EngineOf(options).default_threshold();
  if (threshold > 1.0) return InvalidArgument("threshold: must be in [0, 1]");

  Transaction tx(&db);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_ASSIGN_OR_RETURN(
      auto existing,
      db.Query("SELECT list_id FROM screen_lists WHERE name = ?", {input.list_name}));
  if (!existing.empty()) {
    return Conflict("list '" + input.list_name +
                    "' exists already; choose another name, resume its job (entente jobs resume)"
                    " or re-check it (entente rescreen)");
  }
  std::string now = NowTimestamp();
  ENTENTE_ASSIGN_OR_RETURN(
      auto inserted,
      db.Query("INSERT INTO screen_lists (name, created, created_by) VALUES (?, ?, ?)"
               " RETURNING list_id",
               {input.list_name, now, options.user}));
  const int64_t list_id = inserted.at(0).Int(0);

  ListRowWriter writer(db, list_id, options.on_row_error);
  ListRow row;
  RowError error;
  while (true) {
    ListFileReader::Outcome outcome = reader->Next(&row, &error);
    if (outcome == ListFileReader::Outcome::kEnd) break;
    if (outcome == ListFileReader::Outcome::kRejected) {
      ENTENTE_RETURN_IF_ERROR(writer.Reject(std::move(error)));
      continue;
    }
    ENTENTE_RETURN_IF_ERROR(writer.Add(std::move(row)));
    row = ListRow{};
  }
  ENTENTE_RETURN_IF_ERROR(writer.Flush());
  const int64_t accepted = writer.accepted();
  const int64_t rejected = writer.rejected();
  const int64_t warned = writer.warned();
  if (accepted == 0) {
    return InvalidArgument(input.input_path + ": no acceptable row (" + std::to_string(rejected) +
                           " rejected)");
  }
  ENTENTE_RETURN_IF_ERROR(
      db.Execute("UPDATE screen_lists SET row_count = ?, rejected_count = ?, warning_count = ?"
                 " WHERE list_id = ?",
                 {accepted, rejected, warned, list_id}));
  ENTENTE_ASSIGN_OR_RETURN(
      auto job_rows,
      db.Query("INSERT INTO screen_jobs (list_id, status, threshold, top_k, rows_total, started_by,"
               " started, updated) VALUES (?, 'running', ?, ?, ?, ?, ?, ?) RETURNING job_id",
               {list_id, threshold, int64_t{options.top}, accepted, options.user, now, now}));
  const JobId job_id = job_rows.at(0).Int(0);
  ENTENTE_RETURN_IF_ERROR(CreateChunks(db, job_id, accepted, 0, options.batch_rows));
  CrashPoint("screen.list_stored");
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  CrashPoint("screen.job_created");
  return LoadJob(db, job_id);
}

Result<JobInfo> RunScreening(Database& db, const ScreenListInput& input,
                             const ScreeningOptions& options, ProgressBar* progress) {
  ENTENTE_ASSIGN_OR_RETURN(JobInfo job, CreateScreeningJob(db, input, options));
  return RunJob(db, job.id, options, progress);
}

Result<JobInfo> ResumeScreening(Database& db, JobId id, const ScreeningOptions& options,
                                ProgressBar* progress) {
  ENTENTE_RETURN_IF_ERROR(MigrateScreen(db));
  return RunJob(db, id, options, progress);
}

Result<JobInfo> GetJob(Database& db, JobId id) {
  ENTENTE_RETURN_IF_ERROR(MigrateScreen(db));
  return LoadJob(db, id);
}

Result<std::vector<JobInfo>> ListJobs(Database& db) {
  ENTENTE_RETURN_IF_ERROR(MigrateScreen(db));
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db.Query(std::string("SELECT ") + kJobColumns +
                          " FROM screen_jobs j JOIN screen_lists l ON l.list_id = j.list_id"
                          " ORDER BY j.job_id DESC"));
  std::vector<JobInfo> jobs;
  for (const SqlRow& row : rows) jobs.push_back(JobFromRow(row));
  return jobs;
}

Result<std::vector<RowError>> ListRowErrors(Database& db, int64_t list_id) {
  ENTENTE_RETURN_IF_ERROR(MigrateScreen(db));
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db.Query("SELECT source_file, line, row_id, reason, kind FROM screen_row_errors"
                          " WHERE list_id = ? ORDER BY line, kind",
                          {list_id}));
  std::vector<RowError> errors;
  for (const SqlRow& row : rows) {
    errors.push_back(RowError{row.Text(0), row.Int(1), row.Text(2), row.Text(3), row.Text(4)});
  }
  return errors;
}

Result<int64_t> FindList(Database& db, const std::string& list_name) {
  ENTENTE_RETURN_IF_ERROR(MigrateScreen(db));
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db.Query("SELECT list_id FROM screen_lists WHERE name = ?", {list_name}));
  if (rows.empty()) return NotFound("no screening list named '" + list_name + "'");
  return rows[0].Int(0);
}

}  // namespace entente::screen
