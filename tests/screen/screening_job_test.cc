#include "screen/screening_job.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <tuple>

#include "fake_match_engine.h"
#include "screen/hit_review.h"
#include "screen/list_rows.h"
#include "screen/process_owner.h"
#include "screen_test_util.h"

namespace entente::screen {
namespace {

using testing::FakeEngine;
using testing::OpenDb;
using testing::Person;
using testing::TempDir;
using testing::WriteText;

class ScreeningJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = OpenDb(dir_.File("store.db"));
    testing::Put(*db_, {Person("W1", {"Mohamed El Idrissi", "Muhammad al-Idrisi"}, "1987-03-04"),
                        Person("W2", {"Karim Bensaid"}, "1979-11-20", ThreatCategory::kNarcotics),
                        Person("W3", {"Fatima Zahra Ouazzani"})});
    WriteText(dir_.File("list.csv"),
              "id,name,birth_date,nationality\n"
              "A-1,Mohamed El Idrissi,1987-03-04,MA\n"  // W1
              "A-2,Claire Dubois,,FR\n"
              "A-3,Karim Bensaid,,DZ\n"                  // W2
              "A-4,,,\n"                                 // rejected: empty name
              "A-1,Someone Else,,\n"                     // rejected: duplicate id
              "A-5,Fatima Zahra Ouazzani,31/02/1990,\n"  // W3, with a date warning
              "A-6,Mohamed Idrissi El,,\n");             // W1
    options_.engine = &FakeEngine();
    options_.threshold = 0.6;
    options_.threads = 2;
    options_.batch_rows = 2;
    options_.user = "alice";
    options_.on_row_error = [this](const RowError& error) { errors_.push_back(error); };
  }

  std::set<std::tuple<std::string, std::string, int>> HitKeys() {
    auto hits = ListHits(*db_, HitFilter{});
    EXPECT_TRUE(hits.ok());
    std::set<std::tuple<std::string, std::string, int>> keys;
    for (const auto& hit : *hits) keys.insert({hit.row_id, hit.source_id, hit.entity_version});
    EXPECT_EQ(keys.size(), hits->size()) << "duplicate hits";
    return keys;
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
  ScreeningOptions options_;
  std::vector<RowError> errors_;
};

TEST_F(ScreeningJobTest, StoresListJobAndHits) {
  auto job =
      RunScreening(*db_, ScreenListInput{"event-2026", dir_.File("list.csv")}, options_, nullptr);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->status, "done");
  EXPECT_EQ(job->DisplayStatus(), "done");
  EXPECT_EQ(job->rows_total, 5);
  EXPECT_EQ(job->rows_done, 5);
  EXPECT_EQ(job->rows_rejected, 2);
  EXPECT_EQ(job->hits, 4);
  EXPECT_EQ(job->started_by, "alice");
  EXPECT_EQ(job->runs, 1);
  EXPECT_GT(job->watch_seq, 0);
  EXPECT_FALSE(job->finished.empty());

  ASSERT_EQ(errors_.size(), 3u);
  EXPECT_EQ(errors_[0].line, 5);
  EXPECT_EQ(errors_[0].reason, "empty name");
  EXPECT_EQ(errors_[1].line, 6);
  EXPECT_EQ(errors_[1].reason, "duplicate id 'A-1' (first seen at line 2)");
  EXPECT_EQ(errors_[2].kind, "warning");
  EXPECT_EQ(errors_[2].line, 7);

  auto stored_errors = ListRowErrors(*db_, job->list_id);
  ASSERT_TRUE(stored_errors.ok());
  EXPECT_EQ(stored_errors->size(), 3u);

  auto keys = HitKeys();
  EXPECT_TRUE(keys.count({"A-1", "W1", 1}));
  EXPECT_TRUE(keys.count({"A-3", "W2", 1}));
  EXPECT_TRUE(keys.count({"A-5", "W3", 1}));
  EXPECT_TRUE(keys.count({"A-6", "W1", 1}));

  auto hits = ListHits(*db_, HitFilter{.list_name = "event-2026", .status = "open"});
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 4u);
  const HitInfo& first = hits->front();
  EXPECT_EQ(first.status, "open");
  EXPECT_EQ(first.origin, "job");
  EXPECT_EQ(first.job_id, job->id);
  EXPECT_FALSE(first.explanation.empty());
  EXPECT_FALSE(first.matched_name.empty());
  auto narcotics = std::count_if(hits->begin(), hits->end(),
                                 [](const HitInfo& h) { return h.category == "narcotics"; });
  EXPECT_EQ(narcotics, 1);
}

TEST_F(ScreeningJobTest, SameListNameIsAConflict) {
  ASSERT_TRUE(
      RunScreening(*db_, ScreenListInput{"l", dir_.File("list.csv")}, options_, nullptr).ok());
  auto again = RunScreening(*db_, ScreenListInput{"l", dir_.File("list.csv")}, options_, nullptr);
  EXPECT_EQ(again.status().code(), StatusCode::kConflict);
}

TEST_F(ScreeningJobTest, BadInputs) {
  EXPECT_EQ(RunScreening(*db_, ScreenListInput{"", dir_.File("list.csv")}, options_, nullptr)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(RunScreening(*db_, ScreenListInput{"x", dir_.File("missing.csv")}, options_, nullptr)
                .status()
                .code(),
            StatusCode::kIOError);
  WriteText(dir_.File("bad.csv"), "id,name\n,\nA,\n");
  auto none = RunScreening(*db_, ScreenListInput{"x", dir_.File("bad.csv")}, options_, nullptr);
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidArgument);
  // Nothing of the failed list is left behind: the name is free again.
  EXPECT_EQ(FindList(*db_, "x").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(GetJob(*db_, 999).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ResumeScreening(*db_, 999, options_, nullptr).status().code(), StatusCode::kNotFound);
}

// Rows are stored 64 to a statement: a duplicate many rows after its first (another batch),
// a rejection and a warning in between are still reported in file order, and the accepted
// rows keep consecutive positions in file order.
TEST_F(ScreeningJobTest, DuplicatesAcrossStoredBatchesAreFoundAndPositionsStayInOrder) {
  std::string csv = "id,name,birth_date\n";
  for (int i = 0; i < 200; ++i) {
    if (i == 70) csv += ",No Id Here,\n";                      // line 72: rejected
    if (i == 100) csv += "B-3,Duplicate Of Line 5,\n";         // line 103: duplicate
    if (i == 150) csv += "B-151x,Nadia Berrada,31/02/1990\n";  // line 154: warning
    csv += "B-" + std::to_string(i) + ",Row Person " + std::to_string(i) + ",\n";
  }
  WriteText(dir_.File("long.csv"), csv);
  auto job = CreateScreeningJob(*db_, ScreenListInput{"long", dir_.File("long.csv")}, options_);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->rows_total, 201);
  EXPECT_EQ(job->rows_rejected, 2);
  ASSERT_EQ(errors_.size(), 3u);
  EXPECT_EQ(errors_[0].line, 72);
  EXPECT_EQ(errors_[1].line, 103);
  EXPECT_EQ(errors_[1].reason, "duplicate id 'B-3' (first seen at line 5)");
  EXPECT_EQ(errors_[2].kind, "warning");
  EXPECT_EQ(errors_[2].line, 154);
  auto rows = ReadListRows(*db_, job->list_id, 0, 300);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 201u);
  for (size_t i = 0; i < rows->size(); ++i) {
    EXPECT_EQ((*rows)[i].row_idx, static_cast<int64_t>(i));
    if (i > 0) {
      EXPECT_GT((*rows)[i].line, (*rows)[i - 1].line);
    }
  }
  EXPECT_EQ((*rows)[150].row_id, "B-151x");
}

TEST_F(ScreeningJobTest, ResumeAfterCrashHasNoMissingAndNoDuplicateHits) {
  auto job = RunScreening(*db_, ScreenListInput{"l", dir_.File("list.csv")}, options_, nullptr);
  ASSERT_TRUE(job.ok());
  auto complete = HitKeys();
  // As if the process died after the first batch: progress back to 2 rows, the later batches'
  // hits lost, and one hit of an uncommitted batch that did make it (must not duplicate).
  ASSERT_TRUE(
      db_->Execute("UPDATE screen_jobs SET status = 'running', rows_done = 2, "
                   "owner_host = 'gone-host', owner_pid = 1, updated = '2000-01-01T00:00:00.000Z'")
          .ok());
  ASSERT_TRUE(db_->Execute("DELETE FROM screen_hits WHERE row_idx >= 2 AND row_id <> 'A-6'").ok());
  // The chunks after the first back to pending; one left leased by the dead process.
  ASSERT_TRUE(
      db_->Execute("UPDATE screen_job_chunks SET state = 'pending' WHERE row_from >= 2").ok());
  ASSERT_TRUE(db_->Execute("UPDATE screen_job_chunks SET state = 'leased', lease_owner = 'x',"
                           " lease_host = 'gone-host', lease_pid = 1, lease_deadline_ms = 1"
                           " WHERE row_from = 2")
                  .ok());
  auto interrupted = GetJob(*db_, job->id);
  ASSERT_TRUE(interrupted.ok());
  EXPECT_EQ(interrupted->DisplayStatus(), "interrupted");
  auto resumed = ResumeScreening(*db_, job->id, options_, nullptr);
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_EQ(resumed->status, "done");
  EXPECT_EQ(resumed->rows_done, 5);
  EXPECT_EQ(resumed->runs, 2);
  EXPECT_EQ(HitKeys(), complete);
  // Resuming a finished job changes nothing.
  auto again = ResumeScreening(*db_, job->id, options_, nullptr);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->runs, 2);
  EXPECT_EQ(HitKeys(), complete);
}

TEST_F(ScreeningJobTest, ResumeRefusedWhileAnotherLiveProcessRunsIt) {
  auto created = CreateScreeningJob(*db_, ScreenListInput{"l", dir_.File("list.csv")}, options_);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->rows_done, 0);
  // The parent of this test process is alive.
  ASSERT_TRUE(db_->Execute("UPDATE screen_jobs SET owner_host = ?, owner_pid = ?",
                           {ThisHost(), int64_t{getppid()}})
                  .ok());
  auto refused = ResumeScreening(*db_, created->id, options_, nullptr);
  EXPECT_EQ(refused.status().code(), StatusCode::kConflict);
  // A dead owner (a reaped child) is taken over.
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  ASSERT_TRUE(db_->Execute("UPDATE screen_jobs SET owner_pid = ?", {int64_t{child}}).ok());
  auto resumed = ResumeScreening(*db_, created->id, options_, nullptr);
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_EQ(resumed->status, "done");
}

TEST_F(ScreeningJobTest, ListJobsNewestFirst) {
  ASSERT_TRUE(
      RunScreening(*db_, ScreenListInput{"a", dir_.File("list.csv")}, options_, nullptr).ok());
  ASSERT_TRUE(
      RunScreening(*db_, ScreenListInput{"b", dir_.File("list.csv")}, options_, nullptr).ok());
  auto jobs = ListJobs(*db_);
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 2u);
  EXPECT_EQ((*jobs)[0].list_name, "b");
  EXPECT_EQ((*jobs)[1].list_name, "a");
}

}  // namespace
}  // namespace entente::screen
