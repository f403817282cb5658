#include "screen/job_runner.h"

#include <utility>

namespace entente::screen {

JobRunner::~JobRunner() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

JobRunner& JobRunner::Process() {
  static JobRunner runner;
  return runner;
}

void JobRunner::Submit(JobId id, Opener open, std::string user) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    queue_.push_back(Task{id, std::move(open), std::move(user)});
    if (!worker_.joinable()) worker_ = std::thread([this] { Work(); });
  }
  wake_.notify_one();
}

int64_t JobRunner::Pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int64_t>(queue_.size()) + (busy_ ? 1 : 0);
}

void JobRunner::WaitIdle() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

void JobRunner::Work() {
  for (;;) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) break;
      task = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
    }
    RunOne(task);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      busy_ = false;
    }
    idle_.notify_all();
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    busy_ = false;
  }
  idle_.notify_all();
}

void JobRunner::RunOne(const Task& task) {
  auto db = task.open();
  if (!db.ok()) return;  // the job row stays "running" with no live owner: resumable
  ScreeningOptions options;
  options.user = task.user;
  options.should_stop = [this] {
    std::lock_guard<std::mutex> lock(mutex_);
    return stopping_;
  };
  // Failures are recorded on the job row (status "failed" and its message) by the job itself.
  (void)ResumeScreening(**db, task.id, options, nullptr);
}

}  // namespace entente::screen
