#include "api/match_service.h"

#include <spdlog/spdlog.h>

#include "http/db_pool.h"
#include "screen/store_index.h"
#include "store/change_signal.h"

namespace entente::server {

MatchService::MatchService(DbPool* pool, int refresh_ms) : pool_(pool), refresh_ms_(refresh_ms) {}

MatchService::~MatchService() { Stop(); }

void MatchService::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
  listen_thread_ = std::thread([this] { Listen(); });
}

void MatchService::Stop() {
  {
    std::lock_guard<std::mutex> lock(state_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (listen_thread_.joinable()) listen_thread_.join();
}

bool MatchService::stopping() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return stopping_;
}

Status MatchService::build_status() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return build_status_;
}

Status MatchService::WithIndex(const std::function<Status(const MatchIndex&)>& fn) const {
  if (!ready_.load()) {
    Status failed = build_status();
    if (!failed.ok()) return Unavailable("the match index failed to build: " + failed.message());
    return Unavailable("the match index is still being built; try again shortly");
  }
  std::shared_lock<std::shared_mutex> lock(index_mutex_);
  return fn(*index_);
}

void MatchService::RequestCatchUp() {
  {
    std::lock_guard<std::mutex> lock(state_mutex_);
    catch_up_requested_ = true;
  }
  wake_.notify_all();
}

Status MatchService::CatchUpNow() {
  if (!ready_.load()) return Unavailable("the match index is not built");
  ENTENTE_ASSIGN_OR_RETURN(auto lease, pool_->Acquire());
  std::lock_guard<std::mutex> one_at_a_time(catch_up_mutex_);
  std::shared_lock<std::shared_mutex> lock(index_mutex_);
  return screen::CatchUpMatchIndex(*index_, lease->store());
}

void MatchService::Listen() {
  // How long a stop waits for this thread at most.
  constexpr std::chrono::milliseconds kWaitSlice{200};
  auto signal = ChangeSignal::Listen(pool_->target());
  if (!signal.ok()) {
    spdlog::warn("change notifications unavailable (polling every {} ms until they are): {}",
                 refresh_ms_, signal.status().message());
  }
  while (!signal.ok()) {
    std::unique_lock<std::mutex> lock(state_mutex_);
    if (wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) return;
    lock.unlock();
    signal = ChangeSignal::Listen(pool_->target());
  }
  if (!(*signal)->wakes()) return;  // SQLite: the poll alone
  while (!stopping()) {
    if ((*signal)->Wait(kWaitSlice)) RequestCatchUp();
  }
}

void MatchService::Run() {
  {
    auto lease = pool_->Acquire();
    Status built;
    if (!lease.ok()) {
      built = lease.status();
    } else {
      RecordFilter filter;
      filter.types = {"person", "organization"};
      auto index = screen::BuildMatchIndex((*lease)->store(), filter, nullptr);
      if (index.ok()) {
        std::unique_lock<std::shared_mutex> lock(index_mutex_);
        index_ = std::move(index).value();
        ready_.store(true);
        spdlog::info("match index ready: {} entities", index_->Stats().entities);
      } else {
        built = index.status();
      }
    }
    if (!built.ok()) {
      spdlog::error("match index build failed: {}", built.message());
      std::lock_guard<std::mutex> lock(state_mutex_);
      build_status_ = built;
      return;
    }
  }
  while (true) {
    {
      std::unique_lock<std::mutex> lock(state_mutex_);
      wake_.wait_for(lock, std::chrono::milliseconds(refresh_ms_),
                     [this] { return stopping_ || catch_up_requested_; });
      if (stopping_) return;
      catch_up_requested_ = false;
    }
    Status caught_up = CatchUpNow();
    if (!caught_up.ok()) spdlog::warn("match index catch-up failed: {}", caught_up.message());
  }
}

}  // namespace entente::server
