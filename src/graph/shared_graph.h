// SharedGraph: one EntityGraph for a long-running process (the HTTP server), built from the
// store on first use and brought up to date with the change feed before each use, so that
// every request sees the store as of the moment it started.
//
// Thread-safety: Use() may be called from many threads; readers share the graph under a
// shared lock, and one catch-up at a time takes the exclusive lock.
#pragma once

#include <functional>
#include <memory>
#include <shared_mutex>

#include "common/status.h"
#include "graph/entity_graph.h"
#include "store/record_store.h"

namespace entente::graph {

class SharedGraph {
 public:
  // Calls fn with a graph current up to store.MaxChangeSeq(). Errors: the store's.
  Status Use(RecordStore& store, const std::function<Status(const EntityGraph&)>& fn);
  // The process-wide instance (the server's routes use it).
  static SharedGraph& Process();

 private:
  std::shared_mutex mutex_;
  std::unique_ptr<EntityGraph> graph_;
};

}  // namespace entente::graph
