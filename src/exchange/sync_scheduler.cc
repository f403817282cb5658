#include "exchange/sync_scheduler.h"

#include "exchange/exchange_store.h"
#include "store/record_store.h"

namespace entente::exchange {

SyncScheduler::SyncScheduler(std::string db_target, std::string own_service,
                             std::chrono::seconds interval, Observer observer)
    : db_target_(std::move(db_target)),
      own_service_(std::move(own_service)),
      interval_(interval),
      observer_(std::move(observer)) {}

SyncScheduler::~SyncScheduler() { Stop(); }

Status SyncScheduler::RunOnce() {
  ENTENTE_ASSIGN_OR_RETURN(auto db, Database::Open(db_target_));
  ENTENTE_RETURN_IF_ERROR(RecordStore::Migrate(*db));
  ENTENTE_RETURN_IF_ERROR(ExchangeStore::Migrate(*db));
  ENTENTE_ASSIGN_OR_RETURN(auto agreements, ExchangeStore(db.get()).ListAgreements());
  for (const Agreement& a : agreements) {
    if (a.partner.url.empty()) continue;
    SyncOptions options;
    options.actor = "scheduler";
    options.cancel = &stop_;
    if (stop_) break;
    Result<SyncReport> result = SyncPartner(*db, own_service_, a.partner.name, options);
    if (observer_) observer_(a.partner.name, result);
  }
  return Status::Ok();
}

void SyncScheduler::Start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_) {
      lock.unlock();
      Status s = RunOnce();
      if (!s.ok() && observer_) observer_("*", s);
      lock.lock();
      wake_.wait_for(lock, interval_, [this] { return stop_.load(); });
    }
  });
}

void SyncScheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace entente::exchange
