// Runs screening jobs in the background for the server: a job started over the API is stored
// at once (its list and a "running" job row, see CreateScreeningJob) and then screened here,
// one job at a time, on a connection of the runner's own, while the API reports its progress
// from the job row.
//
// One runner per process (Process()); jobs queue in order. When the process stops, the job in
// progress stops after its current batch and stays resumable (`entente jobs resume ID` or
// POST /api/v1/screening/jobs/{id}/resume).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"
#include "screen/screening_job.h"
#include "store/database.h"

namespace entente::screen {

class JobRunner {
 public:
  using Opener = std::function<Result<std::unique_ptr<Database>>()>;

  JobRunner() = default;
  ~JobRunner();  // stops the running job after its batch and joins the worker
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // The process's runner.
  static JobRunner& Process();

  // Queues job `id` to be screened (or resumed) with a connection from `open`. `user` is who
  // asked, for the job's record. Returns at once.
  void Submit(JobId id, Opener open, std::string user);

  // Jobs queued or running now.
  int64_t Pending() const;

  // Blocks until no job is queued or running (tests).
  void WaitIdle();

 private:
  struct Task {
    JobId id = 0;
    Opener open;
    std::string user;
  };
  void Work();
  void RunOne(const Task& task);

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Task> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace entente::screen
