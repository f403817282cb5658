// Screening one leased chunk of a job (job_chunks.h): read its rows, match them on several
// threads while renewing the lease, then write the rows' hits, the refused rows, the chunk's
// "done" state and the job's counters in one transaction. Used by the process that drives a job
// (screening_job.cc) and by the workers that help with any job (chunk_worker.h).
//
// Thread-safety: a ChunkProcessor uses its Database from the calling thread only (matching
// runs on threads of its own over the read-only index).
#pragma once

#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "match/matcher.h"
#include "screen/job_chunks.h"
#include "screen/list_file.h"
#include "screen/parallel_match.h"
#include "screen/screening_job.h"
#include "store/database.h"
#include "store/record_store.h"

namespace entente::screen {

struct ChunkResult {
  int64_t rows = 0;
  int64_t hits = 0;    // hits stored (a hit already present is not counted twice)
  int64_t failed = 0;  // rows the engine refused
  std::vector<RowError> refused;
};

class ChunkProcessor {
 public:
  // `threads`: matching threads (0: one per core); the lease is renewed every lease_ms / 3.
  ChunkProcessor(Database& db, int threads, int64_t lease_ms);

  // Screens `chunk` of `job` against `index`, which reflects store change `watch_seq`.
  // Conflict when the lease was lost (another worker took the chunk over; nothing written).
  // The same as Start(), Wait() and Commit() in a row.
  Result<ChunkResult> Process(const JobInfo& job, const LeasedChunk& chunk, const MatchIndex& index,
                              int64_t watch_seq);

  // The three steps, so that a caller can match the next chunk while it writes this one:
  // Start reads the rows and starts matching them on threads; Wait waits for the matches,
  // renewing the lease meanwhile (Conflict when it was lost); Commit writes them.
  struct Started {
    LeasedChunk chunk;
    std::shared_ptr<const std::vector<ListRow>> rows;
    std::future<RowMatches> matching;
  };
  Result<Started> Start(const JobInfo& job, const LeasedChunk& chunk, const MatchIndex& index);
  Result<RowMatches> Wait(Started& started);
  Result<ChunkResult> Commit(const JobInfo& job, const Started& started, const RowMatches& matches,
                             int64_t watch_seq);

 private:
  Status Write(const JobInfo& job, const LeasedChunk& chunk, const std::vector<ListRow>& rows,
               const RowMatches& matches, int64_t watch_seq, ChunkResult* result);
  std::string Category(const std::string& entity_id);

  Database& db_;
  RecordStore store_;
  int threads_;
  int64_t lease_ms_;
  std::unordered_map<std::string, std::string> categories_;  // entity id -> category name
};

}  // namespace entente::screen
