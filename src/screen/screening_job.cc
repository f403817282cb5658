#include "screen/screening_job.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <unordered_map>

#include "common/crash_point.h"
#include "common/text.h"
#include "common/time.h"
#include "screen/list_rows.h"
#include "screen/parallel_match.h"
#include "screen/process_owner.h"
#include "screen/row_query.h"
#include "screen/screen_schema.h"
#include "store/record_store.h"

namespace entente::screen {
namespace {

constexpr char kJobColumns[] =
    "j.job_id, j.list_id, l.name, j.status, j.threshold, j.top_k, j.rows_total, j.rows_done,"
    " j.rows_failed, l.rejected_count, j.hit_count, j.watch_seq, j.started_by, j.started,"
    " j.updated, j.finished, j.runs, j.owner_host, j.owner_pid, j.message";

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

Status InsertRowError(Database& db, int64_t list_id, const RowError& error) {
  return db.Execute(
      "INSERT INTO screen_row_errors (list_id, source_file, line, row_id, kind, reason)"
      " VALUES (?, ?, ?, ?, ?, ?)",
      {list_id, error.source_file, error.line, error.row_id, error.kind, error.reason});
}

Status SetJobFailed(Database& db, JobId id, const std::string& message) {
  return db.Execute(
      "UPDATE screen_jobs SET status = 'failed', message = ?, owner_pid = 0, owner_host = '',"
      " updated = ? WHERE job_id = ?",
      {message, NowTimestamp(), id});
}

// Entity categories by id, read once per entity.
class CategoryCache {
 public:
  explicit CategoryCache(Database& db) : store_(&db) {}
  std::string Get(const std::string& entity_id) {
    auto it = cache_.find(entity_id);
    if (it != cache_.end()) return it->second;
    std::string category;
    auto entity = store_.GetEntity(entity_id);
    if (entity.ok()) category = std::string(ThreatCategoryName(entity->meta.category));
    cache_.emplace(entity_id, category);
    return category;
  }

 private:
  RecordStore store_;
  std::unordered_map<std::string, std::string> cache_;
};

struct BatchCounts {
  int64_t hits = 0;
  int64_t failed = 0;
};

Result<BatchCounts> WriteBatch(Database& db, const JobInfo& job, const std::vector<ListRow>& rows,
                               const RowMatches& batch, CategoryCache& categories,
                               std::vector<RowError>* refused) {
  BatchCounts counts;
  Transaction tx(&db);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  std::string now = NowTimestamp();
  for (size_t row_pos = 0; row_pos < rows.size(); ++row_pos) {
    const ListRow& row = rows[row_pos];
    if (!batch.errors[row_pos].ok()) {
      RowError error{row.source_file, row.line, row.row_id, batch.errors[row_pos].message(),
                     "not-screened"};
      ENTENTE_RETURN_IF_ERROR(InsertRowError(db, job.list_id, error));
      refused->push_back(std::move(error));
      ++counts.failed;
      continue;
    }
    for (const MatchResult& hit : batch.hits[row_pos]) {
      if (hit.score < job.threshold) continue;
      ENTENTE_RETURN_IF_ERROR(db.Execute(
          "INSERT INTO screen_hits (list_id, job_id, row_idx, row_id, entity_id, entity_version,"
          " source_id, matched_name, score, explanation, category, origin, raised)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'job', ?)"
          " ON CONFLICT (list_id, row_id, entity_id, entity_version) DO NOTHING",
          {job.list_id, job.id, row.row_idx, row.row_id, hit.entity_id, int64_t{hit.entity_version},
           hit.source_record_id, hit.matched_name, hit.score, hit.Explanation(),
           categories.Get(hit.entity_id), now}));
      counts.hits += db.ChangedRows();
    }
  }
  int64_t done = rows.empty() ? job.rows_done : rows.back().row_idx + 1;
  ENTENTE_RETURN_IF_ERROR(
      db.Execute("UPDATE screen_jobs SET rows_done = ?, hit_count = hit_count + ?,"
                 " rows_failed = rows_failed + ?, updated = ? WHERE job_id = ?",
                 {done, counts.hits, counts.failed, now, job.id}));
  CrashPoint("screen.batch_before_commit");
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  CrashPoint("screen.batch_committed");
  return counts;
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

Result<JobInfo> RunJob(Database& db, JobId id, const ScreeningOptions& options,
                       ProgressBar* progress) {
  ENTENTE_ASSIGN_OR_RETURN(JobInfo job, ClaimJob(db, id));
  if (job.status == "done") return job;
  const MatchEngine& engine = EngineOf(options);
  RecordStore store(&db);

  std::unique_ptr<MatchIndex> built;
  const MatchIndex* index = options.watchlist;
  int64_t watch_seq = 0;
  if (index != nullptr) {
    watch_seq = index->Stats().applied_seq;
  } else {
    watch_seq = store.MaxChangeSeq();
    RecordFilter filter;
    filter.types = {"person", "organization"};
    auto result = engine.build(store, filter, nullptr);
    if (!result.ok()) {
      std::string message = "building the watchlist index: " + result.status().message();
      (void)SetJobFailed(db, id, message);
      return result.status().WithContext("job " + std::to_string(id));
    }
    built = std::move(result).value();
    index = built.get();
  }
  {
    Transaction tx(&db);
    ENTENTE_RETURN_IF_ERROR(tx.status());
    if (job.runs == 1) {
      ENTENTE_RETURN_IF_ERROR(
          db.Execute("UPDATE screen_jobs SET watch_seq = ? WHERE job_id = ?", {watch_seq, id}));
    }
    // The list counts as checked up to the oldest watchlist state any of its rows saw.
    ENTENTE_RETURN_IF_ERROR(
        db.Execute("UPDATE screen_lists SET checked_seq = ? WHERE list_id = ?"
                   " AND (checked_seq < 0 OR checked_seq > ?)",
                   {watch_seq, job.list_id, watch_seq}));
    ENTENTE_RETURN_IF_ERROR(tx.Commit());
  }

  const int threads = ThreadCount(options.threads);
  const int64_t batch_rows = std::max(1, options.batch_rows);
  if (progress) {
    progress->SetTotal(static_cast<uint64_t>(job.rows_total));
    progress->Update(static_cast<uint64_t>(job.rows_done));
  }
  CategoryCache categories(db);
  auto fail = [&](const Status& status) {
    (void)db.Rollback();
    (void)db.Execute("UPDATE screen_jobs SET message = ? WHERE job_id = ?", {status.message(), id});
    return status.WithContext("job " + std::to_string(id));
  };

  // Matching of the next batch overlaps the writing of the current one.
  const double threshold = job.threshold;
  const int top = job.top;
  using Rows = std::shared_ptr<const std::vector<ListRow>>;
  auto launch = [index, top, threshold, threads](Rows rows) {
    return std::async(std::launch::async, [index, rows, top, threshold, threads] {
      return MatchRows(*index, *rows, top, threshold, threads);
    });
  };
  auto read = [&](int64_t from) -> Result<Rows> {
    ENTENTE_ASSIGN_OR_RETURN(auto rows, ReadListRows(db, job.list_id, from, batch_rows));
    return std::make_shared<const std::vector<ListRow>>(std::move(rows));
  };
  int64_t next_from = job.rows_done;
  auto first = read(next_from);
  if (!first.ok()) return fail(first.status());
  Rows rows = std::move(first).value();
  next_from += batch_rows;
  std::future<RowMatches> pending;
  if (!rows->empty()) pending = launch(rows);
  while (!rows->empty()) {
    RowMatches batch = pending.get();
    auto following = read(next_from);
    if (!following.ok()) return fail(following.status());
    Rows next_rows = std::move(following).value();
    next_from += batch_rows;
    if (!next_rows->empty()) pending = launch(next_rows);
    std::vector<RowError> refused;
    auto written = WriteBatch(db, job, *rows, batch, categories, &refused);
    if (!written.ok()) {
      if (pending.valid()) pending.wait();
      return fail(written.status());
    }
    job.rows_done = rows->back().row_idx + 1;
    if (options.on_row_error) {
      for (const RowError& error : refused) options.on_row_error(error);
    }
    if (progress) progress->Update(static_cast<uint64_t>(job.rows_done));
    if (options.pause_ms_per_batch > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(options.pause_ms_per_batch));
    }
    rows = std::move(next_rows);
    if (!rows->empty() && options.should_stop && options.should_stop()) {
      if (pending.valid()) pending.wait();
      ENTENTE_RETURN_IF_ERROR(db.Execute(
          "UPDATE screen_jobs SET owner_pid = 0, owner_host = '', updated = ?, message = ?"
          " WHERE job_id = ?",
          {NowTimestamp(),
           std::string("stopped after row ") + std::to_string(job.rows_done) +
               "; resume it to continue",
           id}));
      return Unavailable("job " + std::to_string(id) + " stopped after " +
                         std::to_string(job.rows_done) + " rows; resume it to continue");
    }
  }
  if (progress) progress->Finish();
  CrashPoint("screen.before_done");
  ENTENTE_RETURN_IF_ERROR(
      db.Execute("UPDATE screen_jobs SET status = 'done', finished = ?, updated = ?, owner_pid = 0,"
                 " owner_host = '' WHERE job_id = ?",
                 {NowTimestamp(), NowTimestamp(), id}));
  return LoadJob(db, id);
}

}  // namespace

std::string JobInfo::DisplayStatus() const {
  if (status == "running" && !OwnerAlive(owner_host, owner_pid, TimestampMillis(updated))) {
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

  int64_t accepted = 0;
  int64_t rejected = 0;
  int64_t warned = 0;
  ListRow row;
  RowError error;
  auto reject = [&](RowError&& bad) -> Status {
    ++rejected;
    ENTENTE_RETURN_IF_ERROR(InsertRowError(db, list_id, bad));
    if (options.on_row_error) options.on_row_error(bad);
    return Status::Ok();
  };
  while (true) {
    ListFileReader::Outcome outcome = reader->Next(&row, &error);
    if (outcome == ListFileReader::Outcome::kEnd) break;
    if (outcome == ListFileReader::Outcome::kRejected) {
      ENTENTE_RETURN_IF_ERROR(reject(std::move(error)));
      continue;
    }
    row.row_idx = accepted;
    ENTENTE_RETURN_IF_ERROR(db.Execute(
        "INSERT INTO screen_list_rows (list_id, row_idx, row_id, source_file, line, name,"
        " birth_date, nationality, id_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (list_id, row_id) DO NOTHING",
        {list_id, row.row_idx, row.row_id, row.source_file, row.line, row.name, row.birth_date,
         row.nationality, row.id_number}));
    if (db.ChangedRows() == 0) {
      ENTENTE_ASSIGN_OR_RETURN(
          auto first, db.Query("SELECT line FROM screen_list_rows WHERE list_id = ? AND row_id = ?",
                               {list_id, row.row_id}));
      std::string first_line = first.empty() ? "?" : first[0].Text(0);
      ENTENTE_RETURN_IF_ERROR(reject(
          RowError{row.source_file, row.line, row.row_id,
                   "duplicate id '" + row.row_id + "' (first seen at line " + first_line + ")"}));
      continue;
    }
    ++accepted;
    for (const std::string& warning : row.warnings) {
      ++warned;
      RowError note{row.source_file, row.line, row.row_id, warning, "warning"};
      ENTENTE_RETURN_IF_ERROR(InsertRowError(db, list_id, note));
      if (options.on_row_error) options.on_row_error(note);
    }
  }
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
