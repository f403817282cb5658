// Write turns: the writers of one process to one SQLite file take the write lock in the order
// they asked for it.
//
// SQLite alone is not fair. A connection that finds the file locked sleeps in its busy handler
// (1, 2, 5 ... 100 ms) and looks again; a writer that commits and begins again at once (a long
// import written in batches) usually finds the lock free before the sleeper wakes, so audited
// requests could wait for the whole import although it commits every few thousand records.
// With turns, a writer that begins again queues behind those already waiting. Writers of other
// processes still meet SQLite's busy handler only.
//
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

namespace entente {

class WriteTurns {
 public:
  // The turns of the file at `path` (shared by every connection of this process to it); null
  // for an in-memory database, which has one connection.
  static std::shared_ptr<WriteTurns> For(const std::string& path);

  // Waits for this caller's turn: true when it is taken, false after `timeout`.
  bool Take(std::chrono::milliseconds timeout);
  // Ends the turn taken by Take(); the next waiter, if any, takes it.
  void Give();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<uint64_t> waiting_;  // tickets, first come first served
  uint64_t next_ticket_ = 0;
  bool taken_ = false;
};

}  // namespace entente
