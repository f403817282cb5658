#include "http/db_pool.h"

namespace entente::server {

DbPool::Lease::~Lease() {
  if (connection_) {
    // A handler that returned with a transaction still open (an error path) rolls it back.
    if (connection_->db->InTransaction()) (void)connection_->db->Rollback();
    pool_->Return(std::move(connection_));
  }
}

Result<std::unique_ptr<DbPool::Lease>> DbPool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return std::make_unique<Lease>(this, std::move(connection));
    }
  }
  auto db = Database::Open(target_, 10000);
  if (!db.ok()) return db.status().WithContext("store " + target_);
  auto connection = std::make_unique<Connection>();
  connection->db = std::move(db).value();
  connection->store = std::make_unique<RecordStore>(connection->db.get());
  return std::make_unique<Lease>(this, std::move(connection));
}

void DbPool::Return(std::unique_ptr<Connection> connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.push_back(std::move(connection));
}

void DbPool::CloseIdle() {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.clear();
}

}  // namespace entente::server
