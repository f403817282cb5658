// `entente risk`, run as a real process against a real SQLite store.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "../graph/demo_network.h"
#include "../test_store_target.h"

namespace entente::risk {
namespace {

using namespace graph::testing;
using nlohmann::json;

class RiskCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = ::entente::testing::StoreTarget(dir_.File("store.db"));
    ASSERT_TRUE(WriteDemoStore(db_).ok());
  }
  CommandResult Run(const std::string& arguments) {
    return RunEntente("--db '" + db_ + "' --service DGSN-DGST " + arguments);
  }
  ScratchDir dir_;
  std::string db_;
};

double ProximityContribution(const json& assessment) {
  for (const auto& factor : assessment["factors"]) {
    if (factor["name"] == "network_proximity") return factor["contribution"].get<double>();
  }
  ADD_FAILURE() << "no network_proximity factor";
  return -1;
}

TEST_F(RiskCommandsTest, ThePartnerLinkRaisesTheRiskOnlyForThoseWhoMayReadIt) {
  // DGSI reads its own RED phone: the applicant is high because of it.
  CommandResult owner =
      RunEntente("--db '" + db_ + "' --service DGSI risk " + PersonId(5) + " --format json");
  ASSERT_EQ(owner.exit_code, 0) << owner.output;
  json seen = json::parse(owner.output);
  EXPECT_EQ(seen["level"], "high") << owner.output;
  EXPECT_GT(ProximityContribution(seen), 25.0);
  // A DGSN-DGST officer may not read it: it neither raises the score nor shows.
  CommandResult result = Run("risk " + PersonId(5) + " --format json --clearance AMBER");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  json out = json::parse(result.output);
  EXPECT_NE(out["level"], "high") << result.output;
  EXPECT_EQ(ProximityContribution(out), 0.0);
  EXPECT_EQ(result.output.find(PhoneId(20)), std::string::npos);
  EXPECT_EQ(result.output.find("restricted"), std::string::npos) << result.output;
  // Works from any directory with the built-in rules, and with a rules file.
  CommandResult elsewhere = RunEntente("--db '" + db_ + "' risk " + PersonId(1));
  ASSERT_EQ(elsewhere.exit_code, 0) << elsewhere.output;
  EXPECT_NE(elsewhere.output.find("Risk: "), std::string::npos);
  EXPECT_NE(elsewhere.output.find("built-in defaults"), std::string::npos);
}

TEST_F(RiskCommandsTest, BadRulesFileNamesTheLine) {
  std::string rules = dir_.File("rules.toml");
  {
    std::ofstream out(rules);
    out << "version = 1\nbase = 200\n";
  }
  CommandResult result = Run("risk " + PersonId(5) + " --rules " + rules);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find(rules + " line 2: base: must be between 0 and 100, got 200"),
            std::string::npos)
      << result.output;
  EXPECT_EQ(Run("risk " + PersonId(5) + " --rules " + rules + ".missing").exit_code, 1);
}

TEST_F(RiskCommandsTest, BadArgumentsAreRejected) {
  EXPECT_EQ(Run("risk").exit_code, 2);
  EXPECT_EQ(Run("risk " + PersonId(5) + " --list x").exit_code, 2);
  EXPECT_EQ(Run("risk person--nope").exit_code, 3);
  EXPECT_EQ(Run("risk --list no-such-list").exit_code, 3);
  EXPECT_EQ(Run("risk --help").exit_code, 0);
}

}  // namespace
}  // namespace entente::risk

#include "screen/screening_job.h"

namespace entente::risk {
namespace {

TEST_F(RiskCommandsTest, RanksAScreenedListByRisk) {
  std::string csv = dir_.File("applicants.csv");
  {
    std::ofstream out(csv);
    out << "id,name\nA-1,Applicant Karim\nA-2,Courier Y\nA-3,Nobody Known At All\n";
  }
  {
    auto db = Database::Open(db_);
    ASSERT_TRUE(db.ok());
    screen::ScreeningOptions options;
    options.threads = 1;
    auto job = screen::RunScreening(**db, {"event", csv}, options, nullptr);
    if (!job.ok()) GTEST_SKIP() << "screening not available yet: " << job.status().ToString();
    if (job->hits == 0) GTEST_SKIP() << "the match engine found no hit (engine not ready?)";
  }
  CommandResult result = Run("risk --list event --format json --clearance AMBER");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  json out = json::parse(result.output);
  EXPECT_EQ(out["kind"], "risk-ranking");
  ASSERT_GE(out["assessments"].size(), 1u);
  double previous = 101;
  for (const auto& assessment : out["assessments"]) {
    EXPECT_LE(assessment["score"].get<double>(), previous);
    previous = assessment["score"].get<double>();
    EXPECT_NE(assessment["subject"]["hit_id"], 0);
  }
  CommandResult table = Run("risk --list event");
  ASSERT_EQ(table.exit_code, 0) << table.output;
  EXPECT_NE(table.output.find("List event:"), std::string::npos);
}

}  // namespace
}  // namespace entente::risk
