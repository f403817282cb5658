// Database connections for the server's worker threads: one connection per concurrent request,
// opened on demand, reused afterwards, all closed when the pool goes.
//
// Thread-safety: Acquire() may be called from any thread; a Lease is used by one thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/database.h"
#include "store/record_store.h"

namespace entente::server {

class DbPool {
 public:
  struct Connection {
    std::unique_ptr<Database> db;
    std::unique_ptr<RecordStore> store;
  };

  // Gives the connection back to the pool when destroyed.
  class Lease {
   public:
    Lease(DbPool* pool, std::unique_ptr<Connection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Database& db() { return *connection_->db; }
    RecordStore& store() { return *connection_->store; }

   private:
    DbPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  explicit DbPool(std::string target) : target_(std::move(target)) {}
  // The store target the connections are opened with.
  const std::string& target() const { return target_; }
  // Errors: the database's open error, naming the target.
  Result<std::unique_ptr<Lease>> Acquire();
  // Closes the idle connections (leases out are closed when returned).
  void CloseIdle();

 private:
  void Return(std::unique_ptr<Connection> connection);
  std::string target_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace entente::server
