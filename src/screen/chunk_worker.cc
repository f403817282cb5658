#include "screen/chunk_worker.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>
#include <unordered_map>

#include "screen/chunk_work.h"
#include "screen/job_chunks.h"
#include "screen/screen_schema.h"
#include "screen/screening_job.h"
#include "store/record_store.h"

namespace entente::screen {
namespace {

// The index a worker matches against, rebuilt when the store moved on.
class WorkerWatchlist {
 public:
  explicit WorkerWatchlist(const WorkerOptions& options) : options_(options) {}

  // True when the index reflects the store now; false when it had to be rebuilt first (the
  // caller gives its chunk back, as a rebuild can outlast a lease).
  Result<bool> Current(Database& db) {
    if (options_.watchlist != nullptr) return true;
    RecordStore store(&db);
    const int64_t seq = store.MaxChangeSeq();
    if (built_ && seq == seq_) return true;
    return false;
  }
  Status Rebuild(Database& db) {
    RecordStore store(&db);
    const int64_t seq = store.MaxChangeSeq();
    RecordFilter filter;
    filter.types = {"person", "organization"};
    const MatchEngine& engine = options_.engine ? *options_.engine : DefaultMatchEngine();
    ENTENTE_ASSIGN_OR_RETURN(built_, engine.build(store, filter, nullptr));
    seq_ = seq;
    return Status::Ok();
  }
  const MatchIndex& index() const { return options_.watchlist ? *options_.watchlist : *built_; }
  int64_t seq() const {
    return options_.watchlist ? options_.watchlist->Stats().applied_seq : seq_;
  }

 private:
  const WorkerOptions& options_;
  std::unique_ptr<MatchIndex> built_;
  int64_t seq_ = -1;
};

void Log(const WorkerOptions& options, const std::string& line) {
  if (options.log) options.log(line);
}

bool Stopping(const WorkerOptions& options) { return options.should_stop && options.should_stop(); }

// Sleeps `ms` in short steps, returning early when the worker is told to stop.
void Idle(const WorkerOptions& options, int ms) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!Stopping(options) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(ms, 50)));
  }
}

// The store went away with a chunk claimed (PostgreSQL restarted): nothing of the chunk was
// committed. Waits, then gives the chunk back once the store answers again (else its lease
// lapses), so the worker goes on by itself.
void GiveBackLater(Database& db, const WorkerOptions& options, int poll_ms,
                   const LeasedChunk& chunk, const Status& why) {
  Log(options, "store unavailable with a chunk claimed, retrying: " + why.message());
  Idle(options, poll_ms);
  (void)ReleaseChunk(db, chunk);
}

}  // namespace

Result<WorkerStats> RunWorker(Database& db, const WorkerOptions& options) {
  ENTENTE_RETURN_IF_ERROR(MigrateScreen(db));
  const std::string owner = NewLeaseOwner();
  Log(options, "worker " + owner + " started");
  ChunkProcessor processor(db, options.threads, options.lease_ms);
  WorkerWatchlist watchlist(options);
  std::unordered_map<int64_t, JobInfo> jobs;
  WorkerStats stats;
  const int poll_ms = std::max(10, options.poll_ms);
  while (!Stopping(options)) {
    auto claimed = ClaimChunk(db, owner, options.lease_ms);
    if (!claimed.ok()) {
      if (claimed.status().code() != StatusCode::kUnavailable) return claimed.status();
      Log(options, "store unavailable, retrying: " + claimed.status().message());
      Idle(options, poll_ms);
      continue;
    }
    if (!claimed->has_value()) {
      (void)ExpireDeadLeases(db);
      if (options.exit_when_idle) {
        ENTENTE_ASSIGN_OR_RETURN(int64_t left, UnfinishedChunks(db));
        if (left == 0) break;
      }
      Idle(options, poll_ms);
      continue;
    }
    const LeasedChunk chunk = **claimed;
    auto current = watchlist.Current(db);
    if (!current.ok() && current.status().code() == StatusCode::kUnavailable) {
      GiveBackLater(db, options, poll_ms, chunk, current.status());
      continue;
    }
    if (!current.ok()) return current.status();
    if (!*current) {
      ENTENTE_RETURN_IF_ERROR(ReleaseChunk(db, chunk));
      Log(options, "building the watchlist index");
      ENTENTE_RETURN_IF_ERROR(watchlist.Rebuild(db));
      continue;
    }
    auto job = jobs.find(chunk.job_id);
    if (job == jobs.end()) {
      auto loaded = GetJob(db, chunk.job_id);
      if (!loaded.ok() && loaded.status().code() == StatusCode::kUnavailable) {
        GiveBackLater(db, options, poll_ms, chunk, loaded.status());
        continue;
      }
      if (!loaded.ok()) {
        (void)ReleaseChunk(db, chunk);
        return loaded.status();
      }
      job = jobs.emplace(chunk.job_id, *loaded).first;
    }
    auto done = processor.Process(job->second, chunk, watchlist.index(), watchlist.seq());
    if (!done.ok()) {
      if (done.status().code() == StatusCode::kConflict) {
        ++stats.lost;
        Log(options, done.status().message());
        continue;
      }
      if (done.status().code() == StatusCode::kUnavailable) {
        GiveBackLater(db, options, poll_ms, chunk, done.status());
        continue;
      }
      (void)ReleaseChunk(db, chunk);
      return done.status().WithContext("job " + std::to_string(chunk.job_id));
    }
    ++stats.chunks;
    stats.rows += done->rows;
    stats.hits += done->hits;
    Log(options, "job " + std::to_string(chunk.job_id) + " chunk " +
                     std::to_string(chunk.chunk_no) + ": " + std::to_string(done->rows) +
                     " rows, " + std::to_string(done->hits) + " hits");
    ENTENTE_ASSIGN_OR_RETURN(bool finished, MarkJobDoneIfComplete(db, chunk.job_id));
    if (finished) Log(options, "job " + std::to_string(chunk.job_id) + " done");
  }
  Log(options, "worker " + owner + " stopped: " + std::to_string(stats.chunks) + " chunks, " +
                   std::to_string(stats.rows) + " rows, " + std::to_string(stats.hits) + " hits");
  return stats;
}

}  // namespace entente::screen

namespace entente::screen {

WorkerThread::~WorkerThread() { Stop(); }

void WorkerThread::Start(std::string target, WorkerOptions options) {
  Stop();
  stopping_ = false;
  options.should_stop = [this] { return stopping_.load(); };
  thread_ = std::thread([this, target = std::move(target), options = std::move(options)] {
    while (!stopping_) {
      auto db = Database::Open(target);
      Status status = db.ok() ? RunWorker(**db, options).status() : db.status();
      if (!status.ok() && options.log) options.log("screening worker: " + status.ToString());
      const auto until = std::chrono::steady_clock::now() +
                         std::chrono::milliseconds(std::max(10, options.poll_ms));
      while (!stopping_ && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  });
}

void WorkerThread::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace entente::screen
