#include "server/worker_pool.h"

namespace entente::server {
namespace {
thread_local bool t_overloaded = false;
}

bool WorkerPool::OverloadedThread() { return t_overloaded; }

WorkerPool::WorkerPool(size_t workers, size_t max_queued)
    : workers_(workers), max_queued_(max_queued) {
  threads_.reserve(workers_);
  for (size_t thread_idx = 0; thread_idx < workers_; ++thread_idx) {
    threads_.emplace_back([this] { Work(); });
  }
}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::enqueue(std::function<void()> fn) {
  std::unique_lock<std::mutex> lock(mutex_);
  bool saturated = busy_ + queue_.size() >= workers_ + max_queued_;
  if (saturated && overflow_running_ < workers_) {
    overflow_running_++;
    lock.unlock();
    std::thread([this, fn = std::move(fn)] {
      t_overloaded = true;
      fn();
      std::lock_guard<std::mutex> done_lock(mutex_);
      overflow_running_--;
      overflow_done_.notify_all();
    }).detach();
    return;
  }
  queue_.push_back(std::move(fn));
  wake_.notify_one();
}

void WorkerPool::Work() {
  while (true) {
    std::function<void()> fn;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      fn = std::move(queue_.front());
      queue_.pop_front();
      busy_++;
    }
    fn();
    std::lock_guard<std::mutex> lock(mutex_);
    busy_--;
  }
}

void WorkerPool::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
  std::unique_lock<std::mutex> lock(mutex_);
  overflow_done_.wait(lock, [this] { return overflow_running_ == 0; });
}

}  // namespace entente::server
