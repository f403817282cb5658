#include "exchange/hitnohit/engine_follower.h"

#include <algorithm>

#include "store/database.h"
#include "store/record_store.h"

namespace entente::exchange::hitnohit {
namespace {

// How long Stop() waits for the thread at most while it waits for a change.
constexpr std::chrono::milliseconds kWaitSlice{200};

}  // namespace

EngineFollower::EngineFollower(std::shared_ptr<AnswerEngine> engine, std::string target,
                               std::chrono::milliseconds poll, Log warn)
    : engine_(std::move(engine)), target_(std::move(target)), poll_(poll), warn_(std::move(warn)) {}

EngineFollower::~EngineFollower() { Stop(); }

void EngineFollower::Start() {
  std::call_once(started_, [this] { thread_ = std::thread([this] { Run(); }); });
}

void EngineFollower::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EngineFollower::WaitForChange(ChangeSignal* signal) {
  const auto deadline = std::chrono::steady_clock::now() + poll_;
  while (!stopping_.load()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return;
    const auto slice = std::min<std::chrono::milliseconds>(
        kWaitSlice, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) +
                        std::chrono::milliseconds(1));
    if (signal != nullptr && signal->wakes()) {
      if (signal->Wait(slice)) return;
    } else {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, slice, [this] { return stopping_.load(); });
    }
  }
}

void EngineFollower::Run() {
  std::unique_ptr<ChangeSignal> signal;
  std::unique_ptr<Database> db;
  while (!stopping_.load()) {
    if (!signal) {
      auto listening = ChangeSignal::Listen(target_);
      if (listening.ok()) signal = std::move(*listening);
    }
    if (!db) {
      auto opened = Database::Open(target_);
      if (opened.ok()) {
        db = std::move(*opened);
      } else {
        if (warn_) warn_("hit/no-hit engine: store unavailable: " + opened.status().message());
      }
    }
    bool caught_up = false;
    if (db) {
      RecordStore store(db.get());
      Status refreshed = engine_->Refresh(store, &stopping_);
      caught_up = refreshed.ok();
      if (caught_up) {
        engine_->UpdatePrivacyIndexes();
      } else if (!stopping_.load()) {
        if (warn_) warn_("hit/no-hit engine: catch-up failed: " + refreshed.message());
        db.reset();  // a new connection next time (PostgreSQL restarted)
      }
    }
    keeps_current_ = caught_up && signal && signal->wakes();
    WaitForChange(signal.get());
  }
  keeps_current_ = false;
}

}  // namespace entente::exchange::hitnohit
