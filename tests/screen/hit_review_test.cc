#include "screen/hit_review.h"

#include <gtest/gtest.h>

#include "fake_match_engine.h"
#include "screen/screening_job.h"
#include "screen_test_util.h"

namespace entente::screen {
namespace {

using testing::OpenDb;
using testing::Person;

class HitReviewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = OpenDb(dir_.File("store.db"));
    testing::Put(*db_, {Person("W1", {"Mohamed El Idrissi"}), Person("W2", {"Karim Bensaid"})});
    testing::WriteText(dir_.File("list.csv"),
                       "id,name\nA-1,Mohamed El Idrissi\nA-2,Karim Bensaid\nA-3,Claire Dubois\n");
    ScreeningOptions options;
    options.engine = &testing::FakeEngine();
    options.threshold = 0.6;
    auto job = RunScreening(*db_, ScreenListInput{"l", dir_.File("list.csv")}, options, nullptr);
    ASSERT_TRUE(job.ok()) << job.status().ToString();
    auto hits = ListHits(*db_, HitFilter{});
    ASSERT_TRUE(hits.ok());
    ASSERT_EQ(hits->size(), 2u);
    first_ = (*hits)[0].hit_id;
    second_ = (*hits)[1].hit_id;
  }
  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  int64_t first_ = 0;
  int64_t second_ = 0;
};

TEST_F(HitReviewTest, DecisionRecordsWhoWhenWhy) {
  auto hit = Decide(*db_, DecideRequest{.hit_id = first_,
                                        .decision = Decision::kMatch,
                                        .reason = "same person",
                                        .user = "alice"});
  ASSERT_TRUE(hit.ok()) << hit.status().ToString();
  EXPECT_EQ(hit->status, "match");
  EXPECT_EQ(hit->decided_by, "alice");
  EXPECT_FALSE(hit->decided_at.empty());
  auto history = DecisionsOf(*db_, first_);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].reason, "same person");
  EXPECT_EQ((*history)[0].previous, "open");
  EXPECT_FALSE((*history)[0].forced);

  auto open = ListHits(*db_, HitFilter{.list_name = "l", .status = "open"});
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->size(), 1u);
  auto matched = ListHits(*db_, HitFilter{.status = "match"});
  ASSERT_TRUE(matched.ok());
  EXPECT_EQ(matched->size(), 1u);
}

TEST_F(HitReviewTest, AnotherOfficersDecisionNeedsForce) {
  ASSERT_TRUE(Decide(*db_, DecideRequest{.hit_id = first_,
                                         .decision = Decision::kNoMatch,
                                         .reason = "namesake",
                                         .user = "alice"})
                  .ok());
  auto refused = Decide(
      *db_,
      DecideRequest{
          .hit_id = first_, .decision = Decision::kMatch, .reason = "I disagree", .user = "bob"});
  ASSERT_EQ(refused.status().code(), StatusCode::kConflict);
  EXPECT_NE(refused.status().message().find("already decided 'no-match' by alice"),
            std::string::npos);
  EXPECT_EQ(GetHit(*db_, first_)->decision, "no-match");  // not overwritten
  // The same officer may revise; with force another may overwrite, and it is recorded.
  ASSERT_TRUE(Decide(*db_, DecideRequest{.hit_id = first_,
                                         .decision = Decision::kNoMatch,
                                         .reason = "checked twice",
                                         .user = "alice"})
                  .ok());
  auto forced = Decide(*db_, DecideRequest{.hit_id = first_,
                                           .decision = Decision::kMatch,
                                           .reason = "new evidence",
                                           .user = "bob",
                                           .force = true});
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(forced->decision, "match");
  auto history = DecisionsOf(*db_, first_);
  ASSERT_EQ(history->size(), 3u);
  EXPECT_TRUE((*history)[2].forced);
  EXPECT_EQ((*history)[2].previous, "no-match");
}

TEST_F(HitReviewTest, ReferredHitsMayBeDecidedByAnyone) {
  ASSERT_TRUE(Decide(*db_, DecideRequest{.hit_id = second_,
                                         .decision = Decision::kRefer,
                                         .reason = "need a senior",
                                         .user = "alice"})
                  .ok());
  auto decided = Decide(
      *db_,
      DecideRequest{
          .hit_id = second_, .decision = Decision::kMatch, .reason = "confirmed", .user = "bob"});
  ASSERT_TRUE(decided.ok());
  EXPECT_EQ(decided->status, "match");
}

TEST_F(HitReviewTest, BadRequests) {
  EXPECT_EQ(
      Decide(*db_,
             DecideRequest{
                 .hit_id = 9999, .decision = Decision::kMatch, .reason = "x", .user = "alice"})
          .status()
          .code(),
      StatusCode::kNotFound);
  EXPECT_EQ(
      Decide(*db_,
             DecideRequest{
                 .hit_id = first_, .decision = Decision::kMatch, .reason = "  ", .user = "alice"})
          .status()
          .code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(Decide(*db_,
                   DecideRequest{
                       .hit_id = first_, .decision = Decision::kMatch, .reason = "x", .user = ""})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ListHits(*db_, HitFilter{.status = "maybe"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ListHits(*db_, HitFilter{.list_name = "nope"}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ParseDecision("No-Match"), Decision::kNoMatch);
  EXPECT_FALSE(ParseDecision("perhaps"));
}

}  // namespace
}  // namespace entente::screen
