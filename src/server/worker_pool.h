// The server's worker threads, with a cap: `workers` threads take connections; when they are
// all busy and `max_queued` connections already wait, a further connection is answered at once
// on a short-lived overflow thread with 503 (OverloadedThread() is true there) instead of
// waiting unseen. Overflow threads are themselves capped; beyond that connections queue.
//
// Thread-safety: called by cpp-httplib's accept thread (enqueue) and its stop (shutdown).
#pragma once

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace entente::server {

class WorkerPool : public httplib::TaskQueue {
 public:
  WorkerPool(size_t workers, size_t max_queued);
  ~WorkerPool() override;
  void enqueue(std::function<void()> fn) override;
  // Lets queued and running connections finish, then joins every thread.
  void shutdown() override;

  // True on an overflow thread: the request must be refused with 503.
  static bool OverloadedThread();

 private:
  void Work();
  size_t workers_;
  size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable overflow_done_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  size_t busy_ = 0;
  size_t overflow_running_ = 0;
  bool stopping_ = false;
};

}  // namespace entente::server
