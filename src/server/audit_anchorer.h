// Anchors the audit trail while `entente serve` runs: every `every_entries` new entries (checked
// every few seconds) and once more at shutdown, the chain head is signed with the node's
// Ed25519 key and appended to the anchors file (audit/audit_anchor.h).
//
// Thread-safety: Start/Stop from one thread; the anchoring runs on its own thread with its own
// database connection.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "audit/audit_anchor.h"
#include "common/status.h"
#include "store/database.h"

namespace entente::server {

// Signs and appends an anchor of the current head, unless the head is already anchored
// (`*last_anchored_seq` says what was). Errors: the store's, the key's, the file's.
Status AnchorAuditHead(Database& db, const std::string& anchors_path, int64_t* last_anchored_seq);

// Whether an anchor's signature verifies with this node's key (the exchange's node key).
bool VerifyAnchorWithNodeKey(Database& db, const AuditAnchor& anchor);

class AuditAnchorer {
 public:
  AuditAnchorer(std::string db_target, std::string anchors_path, int64_t every_entries = 100)
      : db_target_(std::move(db_target)),
        anchors_path_(std::move(anchors_path)),
        every_entries_(every_entries) {}
  ~AuditAnchorer() { Stop(); }

  void Start();
  // Anchors once more and stops the thread.
  void Stop();

 private:
  void Run();
  std::string db_target_;
  std::string anchors_path_;
  int64_t every_entries_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace entente::server
