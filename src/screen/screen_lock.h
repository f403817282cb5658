// A named lock kept as a row of screen_locks, so that processes sharing one database (CLI runs,
// servers on several machines over one PostgreSQL) do one thing at a time: at most one
// re-screening runs at once.
//
// The row names its owner (host, pid) and a heartbeat. An owner killed with kill -9 leaves the
// row behind; the next Acquire() sees that the process is gone (same host) or that its
// heartbeat is stale (another host) and takes the lock over.
//
// Thread-safety: a DbLock uses the Database it was acquired with; one thread at a time. Two
// threads of one process contend like two processes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "store/database.h"

namespace entente::screen {

class DbLock {
 public:
  // Takes the lock `name`, waiting up to `wait_ms` (polling) while a live owner holds it.
  // Unavailable naming the holder when it is still held after that; 0 refuses at once.
  static Result<std::unique_ptr<DbLock>> Acquire(Database& db, const std::string& name,
                                                 int64_t wait_ms);
  // Releases the lock (when still held by this owner).
  ~DbLock();
  DbLock(const DbLock&) = delete;
  DbLock& operator=(const DbLock&) = delete;

  // Inside the caller's write transaction: Conflict when the lock was taken over (this owner
  // was presumed dead), else refreshes the heartbeat.
  Status Confirm();
  const std::string& token() const { return token_; }

 private:
  DbLock(Database* db, std::string name, std::string token)
      : db_(db), name_(std::move(name)), token_(std::move(token)) {}
  Database* db_;
  std::string name_;
  std::string token_;
};

}  // namespace entente::screen
