// The `entente graph` commands, run as a real process against a real SQLite store.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../test_store_target.h"
#include "demo_network.h"

namespace entente::graph {
namespace {

using namespace testing;
using nlohmann::json;

class GraphCommandsTest : public ::testing::Test {
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

TEST_F(GraphCommandsTest, PathThroughThePartnerPhoneIsShownRedacted) {
  CommandResult result =
      Run("graph path " + PersonId(5) + " " + PersonId(1) + " --clearance AMBER --format json");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  json out = json::parse(result.output);
  EXPECT_EQ(out["length"], 3);
  EXPECT_EQ(out["paths"][0]["nodes"][1], "restricted-1");
  EXPECT_EQ(result.output.find(PhoneId(20)), std::string::npos);
  // With RED clearance the phone is DGSI's, not released to us: still restricted... unless we
  // are DGSI.
  CommandResult owner = RunEntente("--db '" + db_ + "' --service DGSI graph path " + PersonId(5) +
                                   " " + PersonId(1) + " --format json");
  ASSERT_EQ(owner.exit_code, 0) << owner.output;
  EXPECT_NE(owner.output.find(PhoneId(20)), std::string::npos);
  CommandResult table = Run("graph path " + PersonId(5) + " " + PersonId(1) + " --clearance AMBER");
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_NE(table.output.find("[restricted record]"), std::string::npos);
  EXPECT_NE(table.output.find("Boss Trafficker"), std::string::npos);
}

TEST_F(GraphCommandsTest, NeighboursNetworksAndCentral) {
  CommandResult hood = Run("graph neighbours " + PersonId(1) + " --hops 1 --format json");
  ASSERT_EQ(hood.exit_code, 0) << hood.output;
  EXPECT_EQ(json::parse(hood.output)["nodes"].size(), 4u);
  CommandResult networks = Run("graph networks --category human-trafficking --format json");
  ASSERT_EQ(networks.exit_code, 0) << networks.output;
  json net = json::parse(networks.output);
  ASSERT_EQ(net["networks"].size(), 1u);
  EXPECT_EQ(net["networks"][0]["central"][0]["id"], PersonId(1));
  CommandResult central = Run("graph central --top 1 --category narcotics --measure betweenness");
  ASSERT_EQ(central.exit_code, 0) << central.output;
  EXPECT_NE(central.output.find("Smuggler Chief"), std::string::npos);
  CommandResult stats = Run("graph stats");
  ASSERT_EQ(stats.exit_code, 0);
  EXPECT_NE(stats.output.find("entities       9"), std::string::npos) << stats.output;
}

TEST_F(GraphCommandsTest, BadInputGivesClearErrorsAndExitCodes) {
  EXPECT_EQ(Run("graph neighbours person--nope").exit_code, 3);
  CommandResult bad_rel = Run("graph neighbours " + PersonId(1) + " --rel knows");
  EXPECT_EQ(bad_rel.exit_code, 2);
  EXPECT_NE(bad_rel.output.find("--rel: unknown relationship type 'knows'"), std::string::npos);
  CommandResult bad_date = Run("graph path " + PersonId(1) + " " + PersonId(2) + " --from 2024-13");
  EXPECT_EQ(bad_date.exit_code, 2);
  EXPECT_NE(bad_date.output.find("from"), std::string::npos);
  EXPECT_NE(Run("graph neighbours " + PersonId(1) + " --hops 9").exit_code, 0);
  EXPECT_EQ(Run("graph central --clearance PURPLE").exit_code, 2);
  EXPECT_EQ(Run("graph --help").exit_code, 0);
  EXPECT_EQ(Run("graph path --help").exit_code, 0);
}

}  // namespace
}  // namespace entente::graph
