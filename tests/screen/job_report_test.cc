#include "screen/job_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fake_match_engine.h"
#include "screen/hit_review.h"
#include "screen_test_util.h"

namespace entente::screen {
namespace {

using testing::Person;

// A terrorist and a narcotics trafficker on the watchlist; `list` screened against them.
Result<JobInfo> ScreenAgainstTwoPeople(Database& db, const testing::TempDir& dir,
                                       const std::string& list) {
  testing::Put(db, {Person("W1", {"Mohamed El Idrissi"}, "", ThreatCategory::kTerrorism),
                    Person("W2", {"Karim Bensaid"}, "", ThreatCategory::kNarcotics)});
  testing::WriteText(dir.File("list.csv"), list);
  ScreeningOptions options;
  options.engine = &testing::FakeEngine();
  options.threshold = 0.6;
  return RunScreening(db, ScreenListInput{"l", dir.File("list.csv")}, options, nullptr);
}

TEST(JobReport, CountsBandsCategoriesAndDecisions) {
  testing::TempDir dir;
  auto db = testing::OpenDb(dir.File("store.db"));
  auto job = ScreenAgainstTwoPeople(
      *db, dir, "id,name\nA-1,Mohamed El Idrissi\nA-2,Karim Bensaid Ali\nA-3,X Y\nA-4,\n");
  ASSERT_TRUE(job.ok());
  auto hits = ListHits(*db, HitFilter{});
  ASSERT_EQ(hits->size(), 2u);
  ASSERT_TRUE(Decide(*db, DecideRequest{.hit_id = (*hits)[0].hit_id,
                                        .decision = Decision::kMatch,
                                        .reason = "yes",
                                        .user = "alice"})
                  .ok());

  auto report = BuildJobReport(*db, job->id);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto json = nlohmann::json::parse(JobReportToJson(*report));
  EXPECT_EQ(json["rows"]["total"], 4);
  EXPECT_EQ(json["rows"]["accepted"], 3);
  EXPECT_EQ(json["rows"]["rejected"], 1);
  EXPECT_EQ(json["rows"]["with_hits"], 2);
  EXPECT_EQ(json["hits"]["total"], 2);
  EXPECT_EQ(json["hits"]["by_score_band"]["0.95-1.00"], 1);  // exact: 1.0
  EXPECT_EQ(json["hits"]["by_score_band"]["0.70-0.80"], 0);
  EXPECT_EQ(json["hits"]["by_score_band"]["below 0.70"], 1);  // 2 of 3 tokens: 0.667
  EXPECT_EQ(json["hits"]["by_category"]["terrorism"], 1);
  EXPECT_EQ(json["hits"]["by_category"]["narcotics"], 1);
  EXPECT_EQ(json["hits"]["by_decision"]["match"], 1);
  EXPECT_EQ(json["hits"]["by_decision"]["open"], 1);

  std::string csv = JobReportToCsv(*report);
  EXPECT_EQ(csv.rfind("section,key,value\n", 0), 0u);
  EXPECT_NE(csv.find("category,narcotics,1\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("decision,match,1\n"), std::string::npos);
  EXPECT_NE(csv.find("band,0.95-1.00,1\n"), std::string::npos);
  EXPECT_EQ(BuildJobReport(*db, 42).status().code(), StatusCode::kNotFound);
}

TEST(JobReport, AReaderWhoMayNotReadARecordLearnsNeitherItsCategoryNorItsBand) {
  testing::TempDir dir;
  auto db = testing::OpenDb(dir.File("store.db"));
  auto job =
      ScreenAgainstTwoPeople(*db, dir, "id,name\nA-1,Mohamed El Idrissi\nA-2,Karim Bensaid\n");
  ASSERT_TRUE(job.ok());
  auto hits = ListHits(*db, HitFilter{});
  ASSERT_EQ(hits->size(), 2u);
  std::string hidden;
  for (const HitInfo& hit : *hits) {
    if (hit.row_id == "A-2") hidden = hit.entity_id;
  }
  ASSERT_FALSE(hidden.empty());

  auto report = BuildJobReport(*db, job->id, [&](const std::string& id) { return id != hidden; });
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto json = nlohmann::json::parse(JobReportToJson(*report));
  EXPECT_EQ(json["hits"]["total"], 2);
  EXPECT_EQ(json["hits"]["by_category"]["terrorism"], 1);
  EXPECT_FALSE(json["hits"]["by_category"].contains("narcotics")) << json.dump();
  EXPECT_EQ(json["hits"]["by_category"]["restricted"], 1);
  EXPECT_EQ(json["hits"]["by_score_band"]["0.95-1.00"], 1);
  EXPECT_EQ(json["hits"]["by_score_band"]["restricted"], 1);
}

}  // namespace
}  // namespace entente::screen
