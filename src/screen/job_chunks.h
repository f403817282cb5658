// The chunks of a screening job, kept in the store (table screen_job_chunks), so that several
// processes over one database share a job: each chunk is a range of the list's rows with a
// state ("pending", "leased", "done"), the lease's owner and its deadline.
//
// A worker claims a chunk (PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, so two workers never
// take the same one; SQLite: the single writer's transaction), renews the lease while it works
// and commits the chunk's hits together with its "done" state (FinishChunk, inside the caller's
// transaction). A chunk whose lease deadline has passed, or whose owner is a dead process on
// this host, can be claimed again; the first owner's commit is then refused (Conflict), so a
// row's hits are written once.
//
// Thread-safety: functions use the caller's Database (one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "store/database.h"

namespace entente::screen {

// The lease one worker holds on one chunk.
struct LeasedChunk {
  int64_t job_id = 0;
  int64_t chunk_no = 0;
  int64_t row_from = 0;  // rows [row_from, row_to) by row_idx
  int64_t row_to = 0;
  int attempts = 0;  // claims so far, this one included (a chunk given back does not count)
  std::string owner;
};

struct ChunkCounts {
  int64_t total = 0, done = 0, leased = 0, pending = 0;
};

// A lease owner name for this process: "<host>/<pid>/<random>".
std::string NewLeaseOwner();

// Cuts rows [0, rows_total) of job `job_id` into chunks of `chunk_rows`; the rows below
// `rows_done` start "done" (a job begun before chunks existed). Does nothing when the job has
// chunks. Runs in the caller's transaction when there is one.
Status CreateChunks(Database& db, int64_t job_id, int64_t rows_total, int64_t rows_done,
                    int64_t chunk_rows);

// Takes the first claimable chunk of a running job (of `only_job` when it is not 0) for
// `lease_ms`; nullopt when there is none.
Result<std::optional<LeasedChunk>> ClaimChunk(Database& db, const std::string& owner,
                                              int64_t lease_ms, int64_t only_job = 0);

// Moves the deadline to now + lease_ms. Conflict when the lease was lost (taken over).
Status RenewLease(Database& db, const LeasedChunk& chunk, int64_t lease_ms);

// Gives a leased chunk back (pending again), when this owner still holds it.
Status ReleaseChunk(Database& db, const LeasedChunk& chunk);

// Inside the caller's write transaction, before the chunk's hits are written: marks the chunk
// done, which locks it. Conflict when this owner no longer holds the lease.
Status MarkChunkDone(Database& db, const LeasedChunk& chunk);

// Leases held by processes of this host that are gone (kill -9) expire at once. Returns how many.
Result<int64_t> ExpireDeadLeases(Database& db, int64_t only_job = 0);

// The chunks of one job by state.
Result<ChunkCounts> CountChunks(Database& db, int64_t job_id);
// Chunks not done of running jobs (every job when `only_job` is 0).
Result<int64_t> UnfinishedChunks(Database& db, int64_t only_job = 0);

// Marks a running job done when all its chunks are (after each chunk's commit: the last one to
// commit sees the others). Returns whether this call marked it.
Result<bool> MarkJobDoneIfComplete(Database& db, int64_t job_id);

}  // namespace entente::screen
