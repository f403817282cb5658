// Screening jobs: a named list of people is stored in the database (rows with their source
// file and line), then screened against the watchlist (the persons and organizations of the
// record store) in batches, on several threads; every hit at or above the threshold is stored
// with its row, entity, entity version, score and explanation.
//
// Resumable and shared: a job is cut into chunks of rows kept in the store (job_chunks.h). Each
// chunk's hits are committed together with its "done" state and the job's progress, and hits
// are unique per (list, row, entity, entity version). A process killed at any point (kill -9
// included) loses at most the chunk it was working on; ResumeScreening() continues with the
// chunks not done, with no missing and no duplicate hits. Workers (chunk_worker.h, `entente
// worker`) in other processes take chunks of any running job at the same time.
//
// Thread-safety: functions take a Database (one connection, one thread at a time). One process
// drives a job at a time (the job row names its owner; a second driver gets Conflict while the
// first is alive); any number of workers help it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/progress.h"
#include "common/status.h"
#include "match/matcher.h"
#include "screen/list_file.h"
#include "screen/match_engine.h"
#include "store/database.h"

namespace entente::screen {

using JobId = int64_t;

// Where a list comes from: its name (unique in the store) and a CSV file (see list_file.h).
struct ScreenListInput {
  std::string list_name;
  std::string input_path;
};

struct ScreeningOptions {
  double threshold = -1.0;  // < 0: the engine's calibrated default
  int top = 10;             // at most this many hits per row
  int threads = 0;          // matching threads; 0: one per core
  int batch_rows = 2000;    // rows per chunk (committed together) when the job is cut
  std::string user = "local";
  const MatchEngine* engine = nullptr;  // null: DefaultMatchEngine()
  const MatchIndex* watchlist =
      nullptr;  // a ready index (the server's); null: built from the store
  // Called for each rejected row while the list is loaded, and for rows the engine refuses
  // (nothing matchable in the name) while screening.
  std::function<void(const RowError&)> on_row_error;
  int64_t lease_ms = 30000;    // a chunk's lease; renewed every third of it while matching
  int poll_ms = 200;           // how often to look again while other workers hold the last chunks
  int pause_ms_per_batch = 0;  // for fault-injection tests only: sleep after each commit
  // Checked after each committed batch: when it returns true the job stops there (resumable,
  // no process owns it any more) and the call returns Unavailable. For a server shutting down.
  std::function<bool()> should_stop;
};

// A job's state as stored. `status`: "running" (also a run that was killed: resume it),
// "done", "failed" (see message; resume retries).
struct JobInfo {
  JobId id = 0;
  int64_t list_id = 0;
  std::string list_name;
  std::string status;
  double threshold = 0.0;
  int top = 10;
  int64_t rows_total = 0;     // accepted rows of the list
  int64_t rows_done = 0;      // rows screened and committed
  int64_t rows_failed = 0;    // rows the engine refused (see the list's row errors)
  int64_t rows_rejected = 0;  // rows rejected when the list was loaded
  int64_t hits = 0;
  int64_t watch_seq = 0;  // the store change_seq the watchlist index reflected
  std::string started_by, started, updated, finished;
  int runs = 0;  // how many times it was started (1 + resumes)
  std::string owner_host;
  int64_t owner_pid = 0;  // 0 when no process runs it
  std::string message;
  // The job's chunks by state (job_chunks.h); all 0 for a job not yet cut.
  int64_t chunks_total = 0, chunks_done = 0, chunks_leased = 0, chunks_pending = 0;
  // "running" for a job whose owner is alive (or, for a job left to workers, with a chunk
  // leased), "queued" for a job left to workers that none has taken yet, "interrupted" for one
  // whose process died, else status.
  std::string DisplayStatus() const;
};

// Stores the list (rejected rows are reported through on_row_error and kept with their line and
// reason), creates the job and screens it to the end. Errors: InvalidArgument for a bad file
// header, an empty list name or a list with no acceptable row; Conflict when a list of that name
// exists (screen it again with ResumeScreening or keep it current with Rescreen); IOError for an
// unreadable file; the store's errors. When screening fails half-way the job stays resumable.
Result<JobInfo> RunScreening(Database& db, const ScreenListInput& input,
                             const ScreeningOptions& options, ProgressBar* progress);

// Only stores the list and creates the job (status "running", nothing screened yet) with its
// chunks of options.batch_rows rows, which workers may take at once: all or nothing, in one
// transaction.
Result<JobInfo> CreateScreeningJob(Database& db, const ScreenListInput& input,
                                   const ScreeningOptions& options);

// Continues a job after its last committed batch (threshold and top are the job's own; only
// threads, batch_rows, engine and watchlist are taken from `options`). A finished job is
// returned as is. NotFound for an unknown id; Conflict while another live process runs it.
Result<JobInfo> ResumeScreening(Database& db, JobId id, const ScreeningOptions& options,
                                ProgressBar* progress);

// NotFound for an unknown id.
Result<JobInfo> GetJob(Database& db, JobId id);
// Every job, newest first.
Result<std::vector<JobInfo>> ListJobs(Database& db);
// The rows of a list that were rejected or refused, by line.
Result<std::vector<RowError>> ListRowErrors(Database& db, int64_t list_id);
// The list's id by name; NotFound naming it.
Result<int64_t> FindList(Database& db, const std::string& list_name);

}  // namespace entente::screen
