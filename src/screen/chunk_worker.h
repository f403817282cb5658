// A screening worker: takes chunks of any running screening job from the store (job_chunks.h),
// screens them (chunk_work.h) and commits their hits, until told to stop. Any number of
// workers, in `entente worker` processes or inside `entente serve`, share the jobs of one
// database; a worker killed with kill -9 loses its lease and another one finishes its chunk.
//
// Thread-safety: RunWorker uses `db` from the calling thread only; run one per thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "common/status.h"
#include "match/matcher.h"
#include "screen/match_engine.h"
#include "store/database.h"

namespace entente::screen {

struct WorkerOptions {
  int threads = 0;                      // matching threads; 0: one per core
  int64_t lease_ms = 30000;             // a chunk's lease; renewed every third of it while matching
  int poll_ms = 1000;                   // how often to look for work when there is none
  bool exit_when_idle = false;          // return once no running job has a chunk left
  const MatchEngine* engine = nullptr;  // null: DefaultMatchEngine()
  // A live index kept current by the caller (the server's); null: one built from the store and
  // rebuilt when the store has changed since.
  const MatchIndex* watchlist = nullptr;
  std::function<bool()> should_stop;            // checked between chunks and while idle
  std::function<void(const std::string&)> log;  // one line per chunk and per event
};

struct WorkerStats {
  int64_t chunks = 0;  // chunks committed by this worker
  int64_t rows = 0;
  int64_t hits = 0;
  int64_t lost = 0;  // chunks whose lease another worker took over first
};

// Works until should_stop() (or, with exit_when_idle, until there is nothing left). Errors: the
// store's, or the watchlist's build failing; while the store is unreachable (Unavailable) it
// waits and retries, also when the store goes away with a chunk claimed (the chunk is given
// back, nothing of it committed).
Result<WorkerStats> RunWorker(Database& db, const WorkerOptions& options);

}  // namespace entente::screen

namespace entente::screen {

// RunWorker on a thread of its own with a connection of its own (for `entente serve`).
class WorkerThread {
 public:
  WorkerThread() = default;
  ~WorkerThread();  // Stop()
  WorkerThread(const WorkerThread&) = delete;
  WorkerThread& operator=(const WorkerThread&) = delete;

  // Opens `target` on the thread and works until Stop(); should_stop in `options` is replaced.
  // A failure (the store's) is passed to options.log and the thread starts again after poll_ms.
  void Start(std::string target, WorkerOptions options);
  // Stops after the chunk in progress (its lease is renewed until then) and joins.
  void Stop();

 private:
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace entente::screen
