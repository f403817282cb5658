#include "graph/entity_graph.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "../test_store_target.h"
#include "graph_test_util.h"
#include "store/database.h"
#include "store/record_store.h"

namespace entente::graph {
namespace {

using namespace testing;

std::vector<std::string> NeighbourIds(const EntityGraph& graph, const std::string& id) {
  std::vector<std::string> ids;
  graph.ForEachNeighbour(*graph.FindNode(id),
                         [&](NodeIndex other, EdgeIndex) { ids.push_back(graph.NodeId(other)); });
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST(EntityGraph, BuildsAdjacencyBothWays) {
  EntityGraph graph;
  AddPeople(graph, 1, 3);
  graph.Apply(MakeRel(RelId(1), PersonId(1), PersonId(2), RelationshipType::kFamilyOf));
  graph.Apply(MakeRel(RelId(2), PersonId(2), PersonId(3)));
  graph.Compact();
  EXPECT_EQ(NeighbourIds(graph, PersonId(2)), (std::vector<std::string>{PersonId(1), PersonId(3)}));
  EXPECT_EQ(NeighbourIds(graph, PersonId(1)), (std::vector<std::string>{PersonId(2)}));
  EXPECT_EQ(graph.NodeLabel(*graph.FindNode(PersonId(3))), "P3");
  auto edge = graph.FindEdge(RelId(1));
  ASSERT_TRUE(edge.has_value());
  EXPECT_EQ(graph.EdgeId(*edge), RelId(1));
  EXPECT_EQ(graph.edge(*edge).type, RelationshipType::kFamilyOf);
  GraphStats stats = graph.Stats();
  EXPECT_EQ(stats.nodes, 3);
  EXPECT_EQ(stats.edges, 2);
}

TEST(EntityGraph, RelationshipToAnUnknownEntityWaitsAsPlaceholder) {
  EntityGraph graph;
  AddPeople(graph, 1, 1);
  graph.Apply(MakeRel(RelId(1), PersonId(1), PersonId(9)));
  graph.Compact();
  EXPECT_TRUE(NeighbourIds(graph, PersonId(1)).empty());
  EXPECT_EQ(graph.Stats().placeholders, 1);
  graph.Apply(MakeEntity(PersonId(9), "Late"));  // the entity arrives later
  EXPECT_EQ(NeighbourIds(graph, PersonId(1)), (std::vector<std::string>{PersonId(9)}));
}

TEST(EntityGraph, UpdatesAndRevocationsGoThroughTheOverlay) {
  EntityGraph graph;
  AddPeople(graph, 1, 4);
  graph.Apply(MakeRel(RelId(1), PersonId(1), PersonId(2)));
  graph.Compact();
  // Re-pointing the relationship moves the edge.
  graph.Apply(MakeRel(RelId(1), PersonId(1), PersonId(3)));
  EXPECT_EQ(NeighbourIds(graph, PersonId(1)), (std::vector<std::string>{PersonId(3)}));
  EXPECT_TRUE(NeighbourIds(graph, PersonId(2)).empty());
  graph.Apply(MakeRel(RelId(2), PersonId(4), PersonId(1)));
  EXPECT_EQ(graph.Stats().overlay_edges, 2);
  graph.Compact();
  EXPECT_EQ(graph.Stats().overlay_edges, 0);
  EXPECT_EQ(NeighbourIds(graph, PersonId(1)), (std::vector<std::string>{PersonId(3), PersonId(4)}));
  // Revoking the relationship removes the edge; revoking the entity hides the node.
  Relationship revoked = MakeRel(RelId(2), PersonId(4), PersonId(1));
  revoked.meta.revoked = true;
  graph.Apply(revoked);
  EXPECT_EQ(NeighbourIds(graph, PersonId(1)), (std::vector<std::string>{PersonId(3)}));
  Entity gone = MakeEntity(PersonId(3), "P3");
  gone.meta.revoked = true;
  graph.Apply(gone);
  EXPECT_TRUE(NeighbourIds(graph, PersonId(1)).empty());
  EXPECT_EQ(graph.Degree(*graph.FindNode(PersonId(1))), 0u);
}

TEST(EntityGraph, MarkingsDecideWhatAViewerSees) {
  EntityGraph graph;
  Entity secret = MakeEntity(PersonId(1), "Secret");
  secret.meta.provenance.service = "DGSI";
  secret.meta.marking = Marking{Tlp::kRed, {}};
  graph.Apply(secret);
  Entity shared = MakeEntity(PersonId(2), "Shared");
  shared.meta.provenance.service = "DGSI";
  shared.meta.marking = Marking{Tlp::kAmber, {"DGSN-DGST"}};
  graph.Apply(shared);
  NodeIndex secret_node = *graph.FindNode(PersonId(1));
  NodeIndex shared_node = *graph.FindNode(PersonId(2));
  Viewer moroccan = Viewer::Of("DGSN-DGST", Tlp::kAmber);
  EXPECT_FALSE(graph.CanSeeNode(secret_node, moroccan));
  EXPECT_TRUE(graph.CanSeeNode(shared_node, moroccan));
  EXPECT_FALSE(graph.CanSeeNode(shared_node, Viewer::Of("OTHER", Tlp::kAmber)));
  EXPECT_TRUE(graph.CanSeeNode(secret_node, Viewer::Of("DGSI", Tlp::kRed)));    // owner, cleared
  EXPECT_TRUE(graph.CanSeeNode(shared_node, Viewer::Of("DGSI", Tlp::kAmber)));  // owner
  EXPECT_TRUE(graph.CanSeeNode(secret_node, Viewer::Trusted()));
}

TEST(EntityGraph, BuildsFromTheStoreAndCatchesUpWithItsChangeFeed) {
  ScratchDir dir;
  auto db = Database::Open(::entente::testing::StoreTarget(dir.File("store.db")));
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE(RecordStore::Migrate(**db).ok());
  RecordStore store(db->get());
  std::vector<Record> records = {MakeEntity(PersonId(1), "Amine"),
                                 MakeEntity(PersonId(2), "Brahim"),
                                 MakeRel(RelId(1), PersonId(1), PersonId(2))};
  auto written = store.PutAll(records);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  auto graph = EntityGraph::Build(store);
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  EXPECT_EQ((*graph)->Stats().nodes, 2);
  EXPECT_EQ((*graph)->Stats().edges, 1);
  EXPECT_EQ((*graph)->applied_seq(), store.MaxChangeSeq());

  // New records, then a revocation, reach the graph through CatchUp.
  ASSERT_TRUE(
      store.PutAll({MakeEntity(PersonId(3), "Chakib"), MakeRel(RelId(2), PersonId(2), PersonId(3))})
          .ok());
  ASSERT_TRUE((*graph)->CatchUp(store).ok());
  EXPECT_EQ(NeighbourIds(**graph, PersonId(2)),
            (std::vector<std::string>{PersonId(1), PersonId(3)}));
  auto writer = store.BeginWrite();
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Revoke(RelId(1)).ok());
  ASSERT_TRUE((*writer)->Commit().ok());
  ASSERT_TRUE((*graph)->CatchUp(store).ok());
  EXPECT_EQ(NeighbourIds(**graph, PersonId(2)), (std::vector<std::string>{PersonId(3)}));
  EXPECT_EQ((*graph)->applied_seq(), store.MaxChangeSeq());
}

}  // namespace
}  // namespace entente::graph
