// Keeps a hit/no-hit AnswerEngine caught up with the store's change feed in the background, on
// its own thread and store connection, so that a partner's query does not pay for the changes
// (nor for re-encoding them for the privacy index of each secret).
//
// On PostgreSQL it catches up as soon as any process commits a change (store/change_signal.h:
// LISTEN/NOTIFY), so a record imported through another server is answered here at once; it
// also polls every `poll` as the fallback (a lost notification, a reconnection). SQLite has no
// notifications: there it polls only, and keeps_current() stays false so that each request
// still catches up first (a write on the same node is then answered at once).
//
//   EngineFollower follower(engine, "postgresql://...", std::chrono::milliseconds(2000), log);
//   follower.Start();
//   if (!follower.keeps_current()) engine->Refresh(store);   // in the request
//
// Thread-safety: all methods may be called concurrently; the destructor stops and joins.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "exchange/hitnohit/answer_engine.h"
#include "store/change_signal.h"

namespace entente::exchange::hitnohit {

class EngineFollower {
 public:
  // Receives a line saying why a catch-up failed (it is tried again at the next wake-up).
  using Log = std::function<void(const std::string&)>;

  EngineFollower(std::shared_ptr<AnswerEngine> engine, std::string target,
                 std::chrono::milliseconds poll, Log warn = nullptr);
  ~EngineFollower();
  EngineFollower(const EngineFollower&) = delete;
  EngineFollower& operator=(const EngineFollower&) = delete;

  // Starts the thread (once; later calls do nothing).
  void Start();
  void Stop();

  // True while change notifications are received and the last catch-up succeeded: the engine
  // is then at most a notification behind the feed, and requests need not catch up themselves.
  bool keeps_current() const { return keeps_current_.load(); }

 private:
  void Run();
  // Returns after a change notification, `poll_`, or Stop().
  void WaitForChange(ChangeSignal* signal);

  std::shared_ptr<AnswerEngine> engine_;
  std::string target_;
  std::chrono::milliseconds poll_;
  Log warn_;
  std::atomic<bool> keeps_current_{false};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::once_flag started_;
  std::thread thread_;
};

}  // namespace entente::exchange::hitnohit
