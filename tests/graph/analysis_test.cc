#include "graph/analysis.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "graph_test_util.h"

namespace entente::graph {
namespace {

using namespace testing;

double ScoreOf(const EntityGraph& graph, const std::vector<NodeIndex>& used,
               const std::vector<double>& scores, int person) {
  NodeIndex node = *graph.FindNode(PersonId(person));
  for (size_t idx = 0; idx < used.size(); ++idx) {
    if (used[idx] == node) return scores[idx];
  }
  return -1;
}

// A star: 1 in the middle, 2..5 around it.
EntityGraph& Star() {
  static EntityGraph* graph = [] {
    auto* g = new EntityGraph;
    AddPeople(*g, 1, 5);
    for (int leaf = 2; leaf <= 5; ++leaf) Link(*g, 1, leaf);
    Link(*g, 1, 2, RelationshipType::kFamilyOf);  // a parallel relationship counts once
    g->Compact();
    return g;
  }();
  return *graph;
}

TEST(Centrality, BetweennessOfAStarAndAPathByHand) {
  std::vector<NodeIndex> used;
  CentralityOptions options{CentralityMeasure::kBetweenness};
  auto scores = Centrality(Star(), {}, CompiledFilter{}, options, &used);
  ASSERT_TRUE(scores.ok()) << scores.status().ToString();
  // The centre lies on all 6 leaf-leaf shortest paths; normalized by (4*3)/2 = 6.
  EXPECT_DOUBLE_EQ(ScoreOf(Star(), used, *scores, 1), 1.0);
  EXPECT_DOUBLE_EQ(ScoreOf(Star(), used, *scores, 3), 0.0);

  EntityGraph chain;  // 1 - 2 - 3 - 4
  AddPeople(chain, 1, 4);
  Link(chain, 1, 2);
  Link(chain, 2, 3);
  Link(chain, 3, 4);
  chain.Compact();
  auto chain_scores = Centrality(chain, {}, CompiledFilter{}, options, &used);
  ASSERT_TRUE(chain_scores.ok());
  // Node 2 lies on 1-3 and 1-4: 2 of the 3 pairs it could lie on.
  EXPECT_NEAR(ScoreOf(chain, used, *chain_scores, 2), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(ScoreOf(chain, used, *chain_scores, 4), 0.0, 1e-12);
}

TEST(Centrality, PageRankOfAStarByHand) {
  std::vector<NodeIndex> used;
  auto scores = Centrality(Star(), {}, CompiledFilter{}, {CentralityMeasure::kPageRank}, &used);
  ASSERT_TRUE(scores.ok());
  // c = 0.15/5 + 0.85*4*l, l = 0.15/5 + 0.85*c/4  =>  c = 0.132/0.2775.
  const double centre = 0.132 / 0.2775;
  const double leaf = 0.03 + 0.2125 * centre;
  EXPECT_NEAR(ScoreOf(Star(), used, *scores, 1), centre, 1e-6);
  EXPECT_NEAR(ScoreOf(Star(), used, *scores, 4), leaf, 1e-6);
  auto degree = Centrality(Star(), {}, CompiledFilter{}, {CentralityMeasure::kDegree}, &used);
  ASSERT_TRUE(degree.ok());
  EXPECT_EQ(ScoreOf(Star(), used, *degree, 1), 4.0);
}

TEST(Centrality, TopCentralAndBetweennessLimit) {
  auto top = TopCentral(Star(), {}, CompiledFilter{}, {CentralityMeasure::kPageRank}, 2);
  ASSERT_TRUE(top.ok());
  ASSERT_EQ(top->size(), 2u);
  EXPECT_EQ(Star().NodeId((*top)[0].node), PersonId(1));
  CentralityOptions limited{CentralityMeasure::kBetweenness, 3};
  EXPECT_EQ(Centrality(Star(), {}, CompiledFilter{}, limited).status().code(),
            StatusCode::kResourceExhausted);
}

// Groups of `size` people: every pair inside a group linked with probability p_in, pairs
// across groups with p_out. People are numbered group * 1000 + member.
EntityGraph PlantedPartition(int groups, int size, double p_in, double p_out, uint32_t seed) {
  EntityGraph graph;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> coin(0, 1);
  std::vector<int> people;
  for (int group = 0; group < groups; ++group) {
    for (int member = 0; member < size; ++member) people.push_back(group * 1000 + member + 1);
  }
  for (int person : people) graph.Apply(MakeEntity(PersonId(person), "P"));
  for (size_t a = 0; a < people.size(); ++a) {
    for (size_t b = a + 1; b < people.size(); ++b) {
      bool same = people[a] / 1000 == people[b] / 1000;
      if (coin(rng) < (same ? p_in : p_out)) Link(graph, people[a], people[b]);
    }
  }
  graph.Compact();
  return graph;
}

TEST(Communities, RingOfCliquesGivesEachCliqueItsCommunity) {
  EntityGraph graph = PlantedPartition(4, 8, 1.0, 0.0, 1);
  for (int group = 0; group < 4; ++group) Link(graph, group * 1000 + 1, (group + 1) % 4 * 1000 + 2);
  graph.Compact();
  auto communities = DetectCommunities(graph, {}, CompiledFilter{});
  ASSERT_TRUE(communities.ok()) << communities.status().ToString();
  EXPECT_EQ(communities->count, 4u);
  EXPECT_GT(communities->modularity, 0.6);
  std::map<int, std::set<uint32_t>> seen;  // group -> communities its members got
  for (size_t idx = 0; idx < communities->nodes.size(); ++idx) {
    std::string id = graph.NodeId(communities->nodes[idx]);
    int person = std::stoi(id.substr(id.size() - 12));
    seen[person / 1000].insert(communities->membership[idx]);
  }
  for (const auto& [group, labels] : seen) EXPECT_EQ(labels.size(), 1u) << "group " << group;
}

TEST(Communities, PlantedPartitionIsRecovered) {
  EntityGraph graph = PlantedPartition(5, 20, 0.5, 0.01, 7);
  auto communities = DetectCommunities(graph, {}, CompiledFilter{});
  ASSERT_TRUE(communities.ok());
  // Each community is dominated (>= 90%) by one planted group.
  std::map<uint32_t, std::map<int, int>> counts;
  for (size_t idx = 0; idx < communities->nodes.size(); ++idx) {
    std::string id = graph.NodeId(communities->nodes[idx]);
    counts[communities->membership[idx]][std::stoi(id.substr(id.size() - 12)) / 1000]++;
  }
  EXPECT_EQ(communities->count, 5u);
  for (const auto& [community, by_group] : counts) {
    int total = 0, best = 0;
    for (const auto& [group, count] : by_group) {
      total += count;
      best = std::max(best, count);
    }
    EXPECT_GE(best * 10, total * 9) << "community " << community;
  }
}

TEST(Networks, OnlyComponentsHoldingTheCategory) {
  EntityGraph graph;
  AddPeople(graph, 1, 7);
  graph.Apply(MakeEntity(PersonId(2), "Boss", ThreatCategory::kHumanTrafficking));
  Link(graph, 1, 2);
  Link(graph, 2, 3);
  Link(graph, 2, 4);
  Link(graph, 5, 6);
  Link(graph, 6, 7);
  graph.Compact();
  NetworkOptions options;
  options.category = ThreatCategory::kHumanTrafficking;
  auto networks = FindNetworks(graph, options);
  ASSERT_TRUE(networks.ok()) << networks.status().ToString();
  ASSERT_EQ(networks->size(), 1u);
  EXPECT_EQ((*networks)[0].members.size(), 4u);
  EXPECT_EQ((*networks)[0].relationships, 3);
  ASSERT_FALSE((*networks)[0].central.empty());
  EXPECT_EQ(graph.NodeId((*networks)[0].central[0].node), PersonId(2));
  auto all = FindNetworks(graph, NetworkOptions{});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
}

}  // namespace
}  // namespace entente::graph
