// One shared match index per server process, kept current with the store: built in the
// background at start, then caught up with the change feed every `refresh_ms` and right after
// a write through the API (RequestCatchUp). On PostgreSQL it also catches up as soon as any
// process commits a change (store/change_signal.h: LISTEN/NOTIFY), so a record written through
// another server is matched here at once; the poll stays as the fallback. Routes (match, search, screening) read it under a
// shared lock; catching up takes the exclusive lock briefly.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>

#include "common/status.h"
#include "match/matcher.h"

namespace entente::server {

class DbPool;

class MatchService {
 public:
  MatchService(DbPool* pool, int refresh_ms);
  ~MatchService();
  MatchService(const MatchService&) = delete;
  MatchService& operator=(const MatchService&) = delete;

  // Starts the background build and refresh thread.
  void Start();
  void Stop();

  bool ready() const { return ready_.load(); }
  // How often it polls the change feed ([match] refresh_ms); the hit/no-hit engine polls as often.
  int refresh_ms() const { return refresh_ms_; }
  // The build's error, if it failed.
  Status build_status() const;

  // Runs `fn` with the index under a shared lock. Unavailable while the index is being built.
  Status WithIndex(const std::function<Status(const MatchIndex&)>& fn) const;
  // Asks the refresh thread to catch up now (after a write).
  void RequestCatchUp();
  // Catches up on the calling thread (tests; the bench).
  Status CatchUpNow();

 private:
  void Run();
  // Waits for change notifications and asks for a catch-up on each (PostgreSQL).
  void Listen();
  bool stopping() const;
  DbPool* pool_;
  int refresh_ms_;
  std::unique_ptr<MatchIndex> index_;
  // Guards the pointer `index_` (set once, when built); the index locks its own contents, so a
  // catch-up holds this one shared and matches go on while it reads the change feed.
  mutable std::shared_mutex index_mutex_;
  std::mutex catch_up_mutex_;  // one catch-up at a time
  std::atomic<bool> ready_{false};
  mutable std::mutex state_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool catch_up_requested_ = false;
  Status build_status_;
  std::thread thread_;
  std::thread listen_thread_;
};

}  // namespace entente::server
