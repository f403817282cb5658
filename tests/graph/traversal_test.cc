#include "graph/traversal.h"

#include <gtest/gtest.h>

#include "graph_test_util.h"

namespace entente::graph {
namespace {

using namespace testing;

std::vector<std::string> Ids(const EntityGraph& graph, const std::vector<NodeIndex>& nodes) {
  std::vector<std::string> ids;
  for (NodeIndex node : nodes) ids.push_back(graph.NodeId(node));
  return ids;
}

// 1 - 2 - 4 - 5
//  \- 3 -/
// 6 - 7        8 (alone)
class TraversalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AddPeople(graph_, 1, 8);
    Link(graph_, 1, 2);
    Link(graph_, 1, 3, RelationshipType::kFamilyOf);
    Link(graph_, 2, 4);
    Link(graph_, 3, 4);
    Link(graph_, 4, 5, RelationshipType::kTravelledWith);
    Link(graph_, 6, 7);
    graph_.Compact();
  }
  EntityGraph graph_;
};

TEST_F(TraversalTest, FindsAllShortestPathsWithTheirCount) {
  auto paths = ShortestPaths(graph_, PersonId(1), PersonId(5), GraphFilter{});
  ASSERT_TRUE(paths.ok()) << paths.status().ToString();
  EXPECT_EQ(paths->length, 3);
  EXPECT_EQ(paths->total_paths, 2u);
  ASSERT_EQ(paths->paths.size(), 2u);
  EXPECT_EQ(Ids(graph_, paths->paths[0]),
            (std::vector<std::string>{PersonId(1), PersonId(2), PersonId(4), PersonId(5)}));
  EXPECT_EQ(Ids(graph_, paths->paths[1]),
            (std::vector<std::string>{PersonId(1), PersonId(3), PersonId(4), PersonId(5)}));
  EXPECT_FALSE(paths->truncated);
}

TEST_F(TraversalTest, PathsAreSymmetricAndTruncateAtTheLimit) {
  auto paths = ShortestPaths(graph_, PersonId(5), PersonId(1), GraphFilter{}, 8, 1);
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ(paths->length, 3);
  EXPECT_EQ(paths->total_paths, 2u);
  EXPECT_EQ(paths->paths.size(), 1u);
  EXPECT_TRUE(paths->truncated);
  EXPECT_EQ(graph_.NodeId(paths->paths[0].front()), PersonId(5));
  EXPECT_EQ(graph_.NodeId(paths->paths[0].back()), PersonId(1));
}

TEST_F(TraversalTest, FilterOnRelationshipTypeRemovesAPath) {
  GraphFilter filter;
  filter.relationship_types = {RelationshipType::kAssociateOf, RelationshipType::kTravelledWith};
  auto paths = ShortestPaths(graph_, PersonId(1), PersonId(5), filter);
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ(paths->total_paths, 1u);
  EXPECT_EQ(Ids(graph_, paths->paths[0]),
            (std::vector<std::string>{PersonId(1), PersonId(2), PersonId(4), PersonId(5)}));
}

TEST_F(TraversalTest, NoPathAcrossComponentsOrBeyondMaxHops) {
  auto none = ShortestPaths(graph_, PersonId(1), PersonId(7), GraphFilter{});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->length, -1);
  EXPECT_TRUE(none->paths.empty());
  auto too_far = ShortestPaths(graph_, PersonId(1), PersonId(5), GraphFilter{}, 2);
  ASSERT_TRUE(too_far.ok());
  EXPECT_EQ(too_far->length, -1);
  auto self = ShortestPaths(graph_, PersonId(4), PersonId(4), GraphFilter{});
  ASSERT_TRUE(self.ok());
  EXPECT_EQ(self->length, 0);
}

TEST_F(TraversalTest, HubsAreReachedButNotWalkedThrough) {
  GraphFilter filter;
  filter.max_degree = 2;  // person 4 has three relationships
  auto paths = ShortestPaths(graph_, PersonId(1), PersonId(5), filter);
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ(paths->length, -1);
  auto to_hub = ShortestPaths(graph_, PersonId(1), PersonId(4), filter);
  ASSERT_TRUE(to_hub.ok());
  EXPECT_EQ(to_hub->length, 2);
}

TEST_F(TraversalTest, BadInputIsRejected) {
  EXPECT_EQ(ShortestPaths(graph_, PersonId(1), PersonId(99), GraphFilter{}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(ShortestPaths(graph_, PersonId(1), PersonId(2), GraphFilter{}, 0).status().code(),
            StatusCode::kInvalidArgument);
  GraphFilter bad_date;
  bad_date.from = "2023-02-30";
  auto result = ShortestPaths(graph_, PersonId(1), PersonId(2), bad_date);
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("from"), std::string::npos);
  EXPECT_EQ(Neighbourhood(graph_, PersonId(1), 7, GraphFilter{}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Neighbourhood(graph_, "person--nope", 1, GraphFilter{}).status().code(),
            StatusCode::kNotFound);
}

TEST_F(TraversalTest, NeighbourhoodByHops) {
  auto one = Neighbourhood(graph_, PersonId(1), 1, GraphFilter{});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(Ids(graph_, one->nodes),
            (std::vector<std::string>{PersonId(1), PersonId(2), PersonId(3)}));
  EXPECT_EQ(one->hops, (std::vector<int>{0, 1, 1}));
  EXPECT_EQ(one->edges.size(), 2u);
  auto two = Neighbourhood(graph_, PersonId(1), 2, GraphFilter{});
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->nodes.size(), 4u);
  EXPECT_EQ(two->edges.size(), 4u);  // 1-2, 1-3, 2-4, 3-4
  auto capped = Neighbourhood(graph_, PersonId(1), 3, GraphFilter{}, 3);
  ASSERT_TRUE(capped.ok());
  EXPECT_TRUE(capped->truncated);
  EXPECT_EQ(capped->nodes.size(), 3u);
}

TEST_F(TraversalTest, NeighbourhoodFiltersByCategoryAndDate) {
  Entity flagged = MakeEntity(PersonId(2), "P2", ThreatCategory::kNarcotics);
  graph_.Apply(flagged);
  GraphFilter narcotics;
  narcotics.categories = {ThreatCategory::kNarcotics};
  auto by_category = Neighbourhood(graph_, PersonId(1), 2, narcotics);
  ASSERT_TRUE(by_category.ok());
  EXPECT_EQ(Ids(graph_, by_category->nodes), (std::vector<std::string>{PersonId(1), PersonId(2)}));

  Relationship dated = MakeRel(RelId(100), PersonId(5), PersonId(8));
  dated.start = "2019-01-01";
  dated.stop = "2019-12-31";
  graph_.Apply(dated);
  GraphFilter recent;
  recent.from = "2021";
  auto after = Neighbourhood(graph_, PersonId(8), 1, recent);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->nodes.size(), 1u);
  GraphFilter then;
  then.from = "2019-06";
  then.to = "2019-06";
  auto during = Neighbourhood(graph_, PersonId(8), 1, then);
  ASSERT_TRUE(during.ok());
  EXPECT_EQ(during->nodes.size(), 2u);
}

TEST_F(TraversalTest, ConnectedComponentsBySize) {
  Components components = ConnectedComponents(graph_, CompiledFilter{});
  EXPECT_EQ(components.sizes, (std::vector<uint32_t>{5, 2, 1}));
  EXPECT_EQ(components.component_of[*graph_.FindNode(PersonId(5))], 0u);
  EXPECT_EQ(components.component_of[*graph_.FindNode(PersonId(6))], 1u);
  EXPECT_EQ(components.component_of[*graph_.FindNode(PersonId(8))], 2u);
}

}  // namespace
}  // namespace entente::graph
