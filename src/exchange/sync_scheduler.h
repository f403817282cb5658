// Pulls from every partner with a url in its agreement, on a schedule, inside `entente serve`.
// Each round opens its own connection to the store, runs SyncPartner for each partner in turn
// (errors are logged per partner and do not stop the others) and sleeps `interval`.
//
//   exchange::SyncScheduler scheduler(config.db_target, config.service, std::chrono::minutes(5));
//   scheduler.Start();   ...   scheduler.Stop();
//
// Thread-safety: Start/Stop from one thread; the rounds run on the scheduler's own thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"
#include "exchange/partner_sync.h"

namespace entente::exchange {

class SyncScheduler {
 public:
  using Observer =
      std::function<void(const std::string& partner, const Result<SyncReport>& result)>;
  SyncScheduler(std::string db_target, std::string own_service, std::chrono::seconds interval,
                Observer observer = {});
  ~SyncScheduler();  // Stop()s
  SyncScheduler(const SyncScheduler&) = delete;
  SyncScheduler& operator=(const SyncScheduler&) = delete;

  void Start();
  // Ends the loop: a pull in progress stops after committing its current page.
  void Stop();
  // One round now, on the caller's thread. Errors: only when the store cannot be opened.
  Status RunOnce();

 private:
  std::string db_target_;
  std::string own_service_;
  std::chrono::seconds interval_;
  Observer observer_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> stop_{false};  // also ends a pull in progress after its current page
};

}  // namespace entente::exchange
