#include "graph/graph_views.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "graph_test_util.h"

namespace entente::graph {
namespace {

using namespace testing;
using nlohmann::json;

// Applicant 1 -- phone 2 (a DGSI record marked RED) -- trafficker 3.
class GraphViewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    graph_.Apply(MakeEntity(PersonId(1), "Applicant"));
    Entity phone =
        MakeEntity(PhoneId(2), "+33 6 00 00 00 02", ThreatCategory::kOther, EntityType::kPhone);
    phone.meta.provenance.service = "DGSI";
    phone.meta.marking = Marking{Tlp::kRed, {}};
    graph_.Apply(phone);
    graph_.Apply(MakeEntity(PersonId(3), "Trafficker", ThreatCategory::kHumanTrafficking));
    graph_.Apply(MakeRel(RelId(1), PersonId(1), PhoneId(2), RelationshipType::kUsesPhone));
    Relationship hidden = MakeRel(RelId(2), PersonId(3), PhoneId(2), RelationshipType::kUsesPhone);
    hidden.meta.provenance.service = "DGSI";
    hidden.meta.marking = Marking{Tlp::kRed, {}};
    graph_.Apply(hidden);
    graph_.Compact();
  }
  EntityGraph graph_;
  Viewer moroccan_ = Viewer::Of("DGSN-DGST", Tlp::kAmber);
};

TEST_F(GraphViewsTest, PathThroughAHiddenRecordExistsWithoutItsContent) {
  PathRequest request{PersonId(1), PersonId(3)};
  auto text = RenderPaths(graph_, request, moroccan_, OutputFormat::kJson);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(text->find(PhoneId(2)), std::string::npos);
  EXPECT_EQ(text->find("+33"), std::string::npos);
  EXPECT_EQ(text->find(RelId(2)), std::string::npos);
  json out = json::parse(*text);
  EXPECT_EQ(out["length"], 2);
  ASSERT_EQ(out["paths"].size(), 1u);
  EXPECT_EQ(out["paths"][0]["nodes"][1], "restricted-1");
  bool found_restricted = false;
  for (const auto& node : out["nodes"]) {
    if (node["id"] == "restricted-1") {
      found_restricted = true;
      EXPECT_TRUE(node["restricted"].get<bool>());
      EXPECT_FALSE(node.contains("label"));
      EXPECT_FALSE(node.contains("type"));
    }
  }
  EXPECT_TRUE(found_restricted);
  // The relationship this viewer may read keeps its content.
  bool visible_edge = false;
  for (const auto& edge : out["edges"]) {
    if (edge["id"] == RelId(1)) {
      visible_edge = true;
      EXPECT_EQ(edge["type"], "uses-phone");
      EXPECT_EQ(edge["target"], "restricted-1");
    }
  }
  EXPECT_TRUE(visible_edge);

  // The owner of the phone sees everything.
  auto full = RenderPaths(graph_, request, Viewer::Of("DGSI", Tlp::kRed), OutputFormat::kJson);
  ASSERT_TRUE(full.ok());
  EXPECT_NE(full->find(PhoneId(2)), std::string::npos);
  // Tables redact the same way.
  auto table = RenderPaths(graph_, request, moroccan_, OutputFormat::kTable);
  ASSERT_TRUE(table.ok());
  EXPECT_NE(table->find("[restricted record]"), std::string::npos);
  EXPECT_EQ(table->find("+33"), std::string::npos);
}

TEST_F(GraphViewsTest, HiddenSeedIsReportedAsMissing) {
  NeighbourhoodRequest request;
  request.id = PhoneId(2);
  auto hidden = RenderNeighbourhood(graph_, request, moroccan_, OutputFormat::kJson);
  EXPECT_EQ(hidden.status().code(), StatusCode::kNotFound);
  request.id = "person--00000000-0000-4000-8000-000000000099";
  auto missing = RenderNeighbourhood(graph_, request, moroccan_, OutputFormat::kJson);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(RenderPaths(graph_, {PersonId(1), PhoneId(2)}, moroccan_, OutputFormat::kJson)
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST_F(GraphViewsTest, NeighbourhoodJsonIsDrawable) {
  NeighbourhoodRequest request;
  request.id = PersonId(1);
  request.hops = 2;
  auto text = RenderNeighbourhood(graph_, request, moroccan_, OutputFormat::kJson);
  ASSERT_TRUE(text.ok());
  json out = json::parse(*text);
  EXPECT_EQ(out["kind"], "neighbourhood");
  ASSERT_EQ(out["nodes"].size(), 3u);
  EXPECT_EQ(out["nodes"][0]["id"], PersonId(1));
  EXPECT_EQ(out["nodes"][0]["label"], "Applicant");
  EXPECT_EQ(out["nodes"][0]["hop"], 0);
  EXPECT_EQ(out["edges"].size(), 2u);
  std::set<std::string> ids;
  for (const auto& node : out["nodes"]) ids.insert(node["id"]);
  for (const auto& edge : out["edges"]) {  // every edge end is a listed node
    EXPECT_TRUE(ids.count(edge["source"])) << edge.dump();
    EXPECT_TRUE(ids.count(edge["target"])) << edge.dump();
  }
}

// Networks and central figures are derived from the whole graph: computed on what the viewer
// may read alone, a hidden record neither counts, ranks, nor joins two networks (before session
// 7, a CLEAR analyst saw the size, communities and categories of every hidden network).
TEST_F(GraphViewsTest, CentralAndNetworksCountOnlyWhatTheViewerMayRead) {
  CentralRequest central;
  central.figures_only = false;
  central.measure = CentralityMeasure::kBetweenness;
  NetworkOptions options;
  options.category = ThreatCategory::kHumanTrafficking;
  options.min_size = 3;

  // The owner of the phone sees the bridge and the network of three.
  const Viewer owner = Viewer::Of("DGSI", Tlp::kRed);
  auto owner_central = RenderCentral(graph_, central, owner, OutputFormat::kJson);
  ASSERT_TRUE(owner_central.ok()) << owner_central.status().ToString();
  json out = json::parse(*owner_central);
  EXPECT_EQ(out["ranking"][0]["id"], PhoneId(2));  // the phone is the bridge
  auto owner_networks = RenderNetworks(graph_, options, owner, OutputFormat::kJson);
  ASSERT_TRUE(owner_networks.ok());
  json net = json::parse(*owner_networks);
  ASSERT_EQ(net["networks"].size(), 1u);
  EXPECT_EQ(net["networks"][0]["size"], 3);

  // Without the phone, the two persons are not one network, and nothing is restricted.
  auto text = RenderCentral(graph_, central, moroccan_, OutputFormat::kJson);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(text->find("restricted"), std::string::npos) << *text;
  EXPECT_EQ(text->find(PhoneId(2)), std::string::npos);
  auto networks = RenderNetworks(graph_, options, moroccan_, OutputFormat::kJson);
  ASSERT_TRUE(networks.ok());
  EXPECT_EQ(networks->find(PhoneId(2)), std::string::npos);
  EXPECT_EQ(json::parse(*networks)["networks"].size(), 0u) << *networks;

  auto figures = CentralFigures(graph_, ThreatCategory::kHumanTrafficking, 5);
  ASSERT_TRUE(figures.ok());
  EXPECT_EQ(figures->size(), 2u);  // trusted (risk engine): persons only
}

}  // namespace
}  // namespace entente::graph
