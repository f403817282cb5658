// The link-analysis subsystem: what other subsystems include.
//
//   entity_graph.h  EntityGraph: the store as a CSR graph, kept current by CatchUp()
//   traversal.h     neighbourhoods, all shortest paths, connected components, filters
//   analysis.h      communities (Leiden) and centrality (PageRank, betweenness) via igraph
//   graph_views.h   results as a viewer may see them: UI JSON and text tables
//
// Start with EntityGraph::Build(store), then the functions of graph_views.h.
#pragma once

#include "graph/analysis.h"
#include "graph/entity_graph.h"
#include "graph/graph_views.h"
#include "graph/traversal.h"
