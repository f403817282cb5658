// The graph's HTTP API, mounted by the server (api/mount_all.cc):
//
//   GET /api/v1/graph/neighbours/{id}?hops=1&max_nodes=2000&rel=..&category=..&entity_type=..
//                                     &from=YYYY-MM-DD&to=..&max_degree=N
//   GET /api/v1/graph/path?from=ID&to=ID&max_hops=8&max_paths=20 (+ the same filters)
//   GET /api/v1/graph/networks?category=C&min_size=3&max=20&top=5
//   GET /api/v1/graph/central?top=10&measure=pagerank|betweenness|degree&category=C&all_types=1
//
// Bodies are the JSON of graph_views.h, filtered by the caller's clearance and service.
// Repeatable filters take several values (rel=a&rel=b or rel=a,b). Every call is audited.
// The graph is the process-wide SharedGraph, caught up with the store on each request.
#pragma once

#include "common/status.h"
#include "http/router.h"

namespace entente::graph {

Status MountHttpRoutes(entente::server::Router& router);

}  // namespace entente::graph
