#include "graph/shared_graph.h"

#include <mutex>

namespace entente::graph {

Status SharedGraph::Use(RecordStore& store, const std::function<Status(const EntityGraph&)>& fn) {
  const int64_t wanted = store.MaxChangeSeq();
  {
    std::shared_lock<std::shared_mutex> read(mutex_);
    if (graph_ && graph_->applied_seq() >= wanted) return fn(*graph_);
  }
  {
    std::unique_lock<std::shared_mutex> write(mutex_);
    if (!graph_) {
      ENTENTE_ASSIGN_OR_RETURN(graph_, EntityGraph::Build(store));
    }
    if (graph_->applied_seq() < wanted) ENTENTE_RETURN_IF_ERROR(graph_->CatchUp(store));
  }
  std::shared_lock<std::shared_mutex> read(mutex_);
  return fn(*graph_);
}

SharedGraph& SharedGraph::Process() {
  static SharedGraph* shared = new SharedGraph;
  return *shared;
}

}  // namespace entente::graph
