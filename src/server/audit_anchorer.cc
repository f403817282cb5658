#include "server/audit_anchorer.h"

#include <spdlog/spdlog.h>

#include "audit/audit_anchor.h"
#include "common/time.h"
#include "exchange/exchange_store.h"
#include "exchange/signing.h"

namespace entente::server {
namespace {

constexpr std::chrono::seconds kCheckEvery(5);

}  // namespace

Status AnchorAuditHead(Database& db, const std::string& anchors_path, int64_t* last_anchored_seq) {
  ENTENTE_ASSIGN_OR_RETURN(auto head, AuditHead(db));
  if (head.first == 0 || head.first == *last_anchored_seq) return Status::Ok();
  ENTENTE_RETURN_IF_ERROR(exchange::ExchangeStore::Migrate(db));
  ENTENTE_ASSIGN_OR_RETURN(exchange::SigningKey key, exchange::ExchangeStore(&db).EnsureNodeKey());
  AuditAnchor anchor{head.first, head.second, NowTimestamp(), key.KeyId(), ""};
  ENTENTE_ASSIGN_OR_RETURN(
      anchor.signature,
      exchange::SignDetached(key.secret_key, AuditAnchor::Message(anchor.seq, anchor.hash)));
  ENTENTE_RETURN_IF_ERROR(AppendAnchor(anchors_path, anchor));
  *last_anchored_seq = head.first;
  return Status::Ok();
}

bool VerifyAnchorWithNodeKey(Database& db, const AuditAnchor& anchor) {
  if (!exchange::ExchangeStore::Migrate(db).ok()) return false;
  auto key = exchange::ExchangeStore(&db).EnsureNodeKey();
  if (!key.ok()) return false;
  return exchange::VerifyDetached(key->public_key, AuditAnchor::Message(anchor.seq, anchor.hash),
                                  anchor.signature)
      .ok();
}

void AuditAnchorer::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void AuditAnchorer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AuditAnchorer::Run() {
  auto db = Database::Open(db_target_);
  if (!db.ok()) {
    spdlog::error("audit anchoring off: {}", db.status().message());
    return;
  }
  int64_t last = 0;
  if (auto anchors = ReadAnchors(anchors_path_); anchors.ok() && !anchors->empty()) {
    last = anchors->back().seq;
  }
  while (true) {
    bool stopping = false;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait_for(lock, kCheckEvery, [this] { return stopping_; });
      stopping = stopping_;
    }
    auto head = AuditHead(**db);
    bool due = head.ok() && (stopping || head->first - last >= every_entries_);
    if (due) {
      Status anchored = AnchorAuditHead(**db, anchors_path_, &last);
      if (!anchored.ok()) spdlog::error("audit anchor failed: {}", anchored.message());
    }
    if (stopping) return;
  }
}

}  // namespace entente::server
