#include "screen/rescreen.h"

#include <gtest/gtest.h>

#include "fake_match_engine.h"
#include "screen/alerts.h"
#include "screen/hit_review.h"
#include "screen/screen_lock.h"
#include "screen/screening_job.h"
#include "screen_test_util.h"

namespace entente::screen {
namespace {

using testing::OpenDb;
using testing::Person;

class RescreenTest : public ::testing::TestWithParam<RescreenStrategy> {
 protected:
  void SetUp() override {
    db_ = OpenDb(dir_.File("store.db"));
    testing::Put(*db_, {Person("W1", {"Mohamed El Idrissi"}, "1987-03-04"),
                        Person("W2", {"Karim Bensaid"})});
    testing::WriteText(dir_.File("list.csv"),
                       "id,name,birth_date\n"
                       "A-1,Mohamed El Idrissi,1987-03-04\n"
                       "A-2,Karim Bensaid,\n"
                       "A-3,Youssef Ait Benhaddou,1992-08-09\n"
                       "A-4,Claire Dubois,\n");
    ScreeningOptions options;
    options.engine = &testing::FakeEngine();
    options.threshold = 0.6;
    auto job =
        RunScreening(*db_, ScreenListInput{"event", dir_.File("list.csv")}, options, nullptr);
    ASSERT_TRUE(job.ok()) << job.status().ToString();
    ASSERT_EQ(job->hits, 2);
    options_.engine = &testing::FakeEngine();
    options_.strategy = GetParam();
    options_.wait_ms = 0;
  }

  RescreenSummary RunRescreen() {
    auto summary = Rescreen(*db_, options_);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return summary.ok() ? *summary : RescreenSummary{};
  }

  std::vector<AlertInfo> Alerts() {
    auto alerts = ListAlerts(*db_, AlertFilter{});
    EXPECT_TRUE(alerts.ok());
    return *alerts;
  }

  HitInfo HitOf(const std::string& row_id, const std::string& source_id, int version) {
    auto hits = ListHits(*db_, HitFilter{});
    for (const auto& hit : *hits) {
      if (hit.row_id == row_id && hit.source_id == source_id && hit.entity_version == version) {
        return hit;
      }
    }
    ADD_FAILURE() << "no hit " << row_id << " ~ " << source_id << " v" << version;
    return HitInfo{};
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  RescreenOptions options_;
};

TEST_P(RescreenTest, NothingChangedIsCheap) {
  RescreenSummary summary = RunRescreen();
  EXPECT_EQ(summary.lists_checked, 0);
  EXPECT_EQ(summary.alerts, 0);
  EXPECT_TRUE(Alerts().empty());
}

TEST_P(RescreenTest, NewRecordRaisesOneAlertOnce) {
  testing::Put(*db_, {Person("P-117", {"Youssef Ait Benhaddou"}, "1992-08-09",
                             ThreatCategory::kIllegalMigration),
                      Person("P-118", {"Nobody On The List"})});
  RescreenSummary summary = RunRescreen();
  EXPECT_EQ(summary.lists_checked, 1);
  EXPECT_EQ(summary.entities_changed, 2);
  EXPECT_EQ(summary.new_hits, 1);
  EXPECT_EQ(summary.alerts, 1);
  auto alerts = Alerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].list_name, "event");
  EXPECT_EQ(alerts[0].row_id, "A-3");
  EXPECT_EQ(alerts[0].source_id, "P-117");
  EXPECT_EQ(alerts[0].kind, "new-hit");
  EXPECT_NE(alerts[0].why.find("new record"), std::string::npos) << alerts[0].why;
  HitInfo hit = HitOf("A-3", "P-117", 1);
  EXPECT_EQ(hit.origin, "rescreen");
  EXPECT_EQ(hit.category, "illegal-migration");
  // Again: nothing new.
  EXPECT_EQ(RunRescreen().alerts, 0);
  EXPECT_EQ(Alerts().size(), 1u);
}

TEST_P(RescreenTest, DecisionSticksUntilANewVersion) {
  HitInfo decided = HitOf("A-2", "W2", 1);
  ASSERT_TRUE(Decide(*db_, DecideRequest{.hit_id = decided.hit_id,
                                         .decision = Decision::kNoMatch,
                                         .reason = "namesake",
                                         .user = "alice"})
                  .ok());
  // A re-import of identical content is not a new version: nothing is raised.
  testing::Put(*db_, {Person("W2", {"Karim Bensaid"})});
  EXPECT_EQ(RunRescreen().alerts, 0);
  // A new version (an alias added) raises the row again, saying what changed.
  testing::Put(*db_, {Person("W2", {"Karim Bensaid", "Kareem Ben Saeed"})});
  RescreenSummary summary = RunRescreen();
  EXPECT_EQ(summary.raised_again, 1);
  auto alerts = Alerts();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, "raised-again");
  EXPECT_NE(alerts[0].why.find("names +'Kareem Ben Saeed'"), std::string::npos) << alerts[0].why;
  EXPECT_NE(alerts[0].why.find("decided 'no-match' by alice"), std::string::npos);
  HitInfo again = HitOf("A-2", "W2", 2);
  EXPECT_EQ(again.status, "open");
  EXPECT_NE(again.changed.find("Kareem"), std::string::npos);
  EXPECT_EQ(HitOf("A-2", "W2", 1).status, "no-match");  // the old decision stays
}

TEST_P(RescreenTest, OpenHitOfOldVersionIsSuperseded) {
  testing::Put(
      *db_, {Person("W1", {"Mohamed El Idrissi"}, "1987-03-04", ThreatCategory::kOrganizedCrime)});
  RescreenSummary summary = RunRescreen();
  EXPECT_EQ(summary.raised_again, 1);
  EXPECT_EQ(HitOf("A-1", "W1", 1).status, "superseded");
  EXPECT_EQ(HitOf("A-1", "W1", 2).status, "open");
  EXPECT_NE(HitOf("A-1", "W1", 2).changed.find("category terrorism -> organized-crime"),
            std::string::npos);
}

TEST_P(RescreenTest, RevokedOrChangedAwayEntityWithdrawsItsHits) {
  ASSERT_TRUE(Decide(*db_, DecideRequest{.hit_id = HitOf("A-1", "W1", 1).hit_id,
                                         .decision = Decision::kMatch,
                                         .reason = "confirmed",
                                         .user = "alice"})
                  .ok());
  testing::Revoke(*db_, Person("W1", {"x"}).meta.id);
  testing::Put(*db_, {Person("W2", {"Someone Entirely Different"})});
  RescreenSummary summary = RunRescreen();
  EXPECT_EQ(summary.withdrawn, 2);
  HitInfo revoked = HitOf("A-1", "W1", 1);
  EXPECT_EQ(revoked.status, "withdrawn");
  EXPECT_EQ(revoked.decision, "match");  // the decision is kept
  EXPECT_EQ(HitOf("A-2", "W2", 1).status, "withdrawn");
  auto alerts = Alerts();
  ASSERT_EQ(alerts.size(), 2u);
  for (const auto& alert : alerts) EXPECT_EQ(alert.kind, "withdrawn");
  EXPECT_NE(alerts[0].why.find("revoked"), std::string::npos) << alerts[0].why;
  EXPECT_NE(alerts[1].why.find("no longer matches"), std::string::npos) << alerts[1].why;
  EXPECT_EQ(RunRescreen().alerts, 0);
}

TEST_P(RescreenTest, RefusesWhileAnotherRescreenHoldsTheLock) {
  testing::Put(*db_, {Person("P-117", {"Youssef Ait Benhaddou"})});
  auto other = OpenDb(dir_.File("store.db"));
  auto lock = DbLock::Acquire(*other, "rescreen", 0);
  ASSERT_TRUE(lock.ok());
  auto refused = Rescreen(*db_, options_);
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Alerts().empty());
  lock->reset();
  EXPECT_EQ(RunRescreen().alerts, 1);
}

TEST_P(RescreenTest, UnknownListIsNotFound) {
  options_.list_name = "nope";
  EXPECT_EQ(Rescreen(*db_, options_).status().code(), StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Strategies, RescreenTest,
                         ::testing::Values(RescreenStrategy::kIndexList,
                                           RescreenStrategy::kIndexChanges),
                         [](const auto& info) {
                           return info.param == RescreenStrategy::kIndexList ? "IndexList"
                                                                             : "IndexChanges";
                         });

TEST(ContinuousScreener, KeepsTheListIndexBetweenRuns) {
  testing::TempDir dir;
  auto db = OpenDb(dir.File("store.db"));
  testing::Put(*db, {Person("W1", {"Mohamed El Idrissi"})});
  testing::WriteText(dir.File("list.csv"), "id,name\nA-1,Karim Bensaid\nA-2,Leila Haddad\n");
  ScreeningOptions options;
  options.engine = &testing::FakeEngine();
  options.threshold = 0.6;
  ASSERT_TRUE(RunScreening(*db, ScreenListInput{"l", dir.File("list.csv")}, options, nullptr).ok());
  ContinuousScreener screener(/*keep_list_indexes=*/true);
  RescreenOptions rescreen;
  rescreen.engine = &testing::FakeEngine();
  testing::Put(*db, {Person("W2", {"Karim Bensaid"})});
  auto first = screener.Run(*db, rescreen);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->strategy, "index-list");
  EXPECT_EQ(first->new_hits, 1);
  testing::Put(*db, {Person("W3", {"Leila Haddad"})});
  auto second = screener.Run(*db, rescreen);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->new_hits, 1);
  EXPECT_EQ(second->entities_changed, 1);
}

}  // namespace
}  // namespace entente::screen
