// The chunk table of screening jobs on its own: claims, leases and their deadlines, take-over
// of a lapsed or dead lease, the refused commit of a lost lease, and (PostgreSQL) that a claim
// skips a chunk another connection holds instead of waiting for it.
#include "screen/job_chunks.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake_match_engine.h"
#include "screen/process_owner.h"
#include "screen/screening_job.h"
#include "screen_test_util.h"

namespace entente::screen {
namespace {

using testing::OpenDb;
using testing::TempDir;

class JobChunksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = OpenDb(dir_.File("store.db"));
    testing::WriteText(dir_.File("list.csv"),
                       "id,name\nA-1,Ana Lopez\nA-2,Karim Bensaid\nA-3,Omar Tazi\n"
                       "A-4,Leila Fassi\nA-5,Nadia Alaoui\n");
    ScreeningOptions options;
    options.engine = &testing::FakeEngine();
    options.batch_rows = 2;
    auto job = CreateScreeningJob(*db_, ScreenListInput{"l", dir_.File("list.csv")}, options);
    ASSERT_TRUE(job.ok()) << job.status().ToString();
    job_ = job->id;
  }

  Result<std::optional<LeasedChunk>> Claim(const std::string& owner, int64_t lease_ms = 60000) {
    return ClaimChunk(*db_, owner, lease_ms, job_);
  }

  // Rewrites the lease of chunk 0 (SET clause `set`), as another worker's would look.
  void SetLease(const std::string& set, const std::vector<SqlValue>& params = {}) {
    ASSERT_TRUE(
        db_->Execute("UPDATE screen_job_chunks SET " + set + " WHERE chunk_no = 0", params).ok());
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
  JobId job_ = 0;
};

TEST_F(JobChunksTest, AJobIsCutIntoChunksThatAreClaimedInOrderOnce) {
  auto counts = CountChunks(*db_, job_);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->total, 3);
  EXPECT_EQ(counts->pending, 3);
  std::vector<std::pair<int64_t, int64_t>> ranges;
  for (int i = 0; i < 3; ++i) {
    auto chunk = Claim("w1");
    ASSERT_TRUE(chunk.ok() && chunk->has_value());
    ranges.emplace_back((*chunk)->row_from, (*chunk)->row_to);
    EXPECT_EQ((*chunk)->attempts, 1);
  }
  EXPECT_EQ(ranges, (std::vector<std::pair<int64_t, int64_t>>{{0, 2}, {2, 4}, {4, 5}}));
  auto none = Claim("w2");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value()) << "every chunk is leased";
  auto job = GetJob(*db_, job_);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->chunks_leased, 3);
  EXPECT_EQ(job->chunks_pending, 0);
}

TEST_F(JobChunksTest, ALapsedLeaseIsTakenOverAndTheFirstOwnersCommitIsRefused) {
  auto first = Claim("w1", 60000);
  ASSERT_TRUE(first.ok() && first->has_value());
  // Another host's worker whose deadline passed (its pid cannot be checked from here).
  SetLease("lease_host = 'other-host', lease_deadline_ms = 1");
  auto second = Claim("w2");
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->chunk_no, 0);
  EXPECT_EQ((*second)->attempts, 2);
  EXPECT_EQ(RenewLease(*db_, **first, 1000).code(), StatusCode::kConflict);
  ASSERT_TRUE(db_->BeginWrite().ok());
  EXPECT_EQ(MarkChunkDone(*db_, **first).code(), StatusCode::kConflict);
  ASSERT_TRUE(db_->Rollback().ok());
  EXPECT_TRUE(RenewLease(*db_, **second, 1000).ok());
  ASSERT_TRUE(db_->BeginWrite().ok());
  EXPECT_TRUE(MarkChunkDone(*db_, **second).ok());
  ASSERT_TRUE(db_->Commit().ok());
  auto counts = CountChunks(*db_, job_);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->done, 1);
}

TEST_F(JobChunksTest, ALiveForeignLeaseWaitsAndADeadLocalOneExpiresAtOnce) {
  auto chunk = Claim("w1", 60000);
  ASSERT_TRUE(chunk.ok() && chunk->has_value());
  SetLease("lease_host = 'other-host', lease_pid = 1");
  auto expired = ExpireDeadLeases(*db_, job_);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, 0) << "another host's lease runs to its deadline";
  // A lease of a process of this host that is gone (a reaped child).
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  SetLease("lease_host = ?, lease_pid = ?", {ThisHost(), int64_t{child}});
  expired = ExpireDeadLeases(*db_, job_);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, 1);
  auto again = Claim("w2");
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->chunk_no, 0);
}

TEST_F(JobChunksTest, AReleasedChunkIsPendingAgainAndAFailedJobHasNoClaimableChunk) {
  auto chunk = Claim("w1");
  ASSERT_TRUE(chunk.ok() && chunk->has_value());
  ASSERT_TRUE(ReleaseChunk(*db_, **chunk).ok());
  auto again = Claim("w2");
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->chunk_no, 0);
  EXPECT_EQ((*again)->attempts, 1) << "a chunk given back does not count as an attempt";
  ASSERT_TRUE(db_->Execute("UPDATE screen_jobs SET status = 'failed'").ok());
  auto none = ClaimChunk(*db_, "w3", 1000);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto left = UnfinishedChunks(*db_);
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(*left, 0) << "only running jobs count";
}

TEST_F(JobChunksTest, TheJobIsDoneOnlyWhenItsLastChunkIs) {
  for (int i = 0; i < 3; ++i) {
    auto chunk = Claim("w1");
    ASSERT_TRUE(chunk.ok() && chunk->has_value());
    auto early = MarkJobDoneIfComplete(*db_, job_);
    ASSERT_TRUE(early.ok());
    EXPECT_FALSE(*early);
    ASSERT_TRUE(db_->BeginWrite().ok());
    ASSERT_TRUE(MarkChunkDone(*db_, **chunk).ok());
    ASSERT_TRUE(db_->Commit().ok());
  }
  auto marked = MarkJobDoneIfComplete(*db_, job_);
  ASSERT_TRUE(marked.ok());
  EXPECT_TRUE(*marked);
  auto job = GetJob(*db_, job_);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->status, "done");
  EXPECT_EQ(job->chunks_done, 3);
}

TEST_F(JobChunksTest, OnPostgresAClaimSkipsAChunkAnotherConnectionHolds) {
  if (db_->backend() != DatabaseBackend::kPostgres) {
    // SQLite has one writer: a second claim waits for the first transaction instead.
    auto chunk = Claim("w1");
    ASSERT_TRUE(chunk.ok() && chunk->has_value());
    EXPECT_EQ((*chunk)->chunk_no, 0);
    return;
  }
  auto other = Database::Open(::entente::testing::StoreTarget(dir_.File("store.db")));
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->BeginWrite().ok());
  ASSERT_TRUE(
      (*other)->Query("SELECT chunk_no FROM screen_job_chunks WHERE chunk_no = 0 FOR UPDATE").ok());
  auto chunk = Claim("w1");
  ASSERT_TRUE(chunk.ok() && chunk->has_value()) << "the claim must not wait for the lock";
  EXPECT_EQ((*chunk)->chunk_no, 1);
  ASSERT_TRUE((*other)->Rollback().ok());
  auto first = Claim("w2");
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->chunk_no, 0);
}

}  // namespace
}  // namespace entente::screen
