// Where this node's store is, for work that outlives a request: a subsystem's background job
// (a screening job started over the API) opens its own connection with Open(). The server puts
// one NodeDatabase in RequestContext::services at start-up.
//
// Thread-safety: immutable; Open() may be called from any thread.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "store/database.h"

namespace entente::server {

struct NodeDatabase {
  std::string target;  // as Database::Open takes it: a file path or a postgresql:// URI

  Result<std::unique_ptr<Database>> Open() const { return Database::Open(target); }
};

}  // namespace entente::server
