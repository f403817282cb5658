// Anchors of the audit trail: the chain's head (seq and hash), signed with the node's key and
// appended to a file kept apart from the database (default "<db>.audit-anchors"; put it on
// another volume, or ship it off the machine). The hash chain proves that no entry was edited;
// an anchor proves that entries up to its seq existed, so a trail cut short or wiped (and its
// head row fixed) no longer verifies: `entente audit verify` checks every anchor it finds.
//
// `entente serve` anchors every 100 entries and at shutdown (server/audit_anchorer.h);
// `entente audit anchor` anchors by hand. Signing lives above this layer (the node key is the
// exchange's), so the functions here take the signature as text and a verifier to check it.
//
// Thread-safety: functions over the file and Database passed in; one writer per file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/database.h"

namespace entente::server {

struct AuditAnchor {
  int64_t seq = 0;
  std::string hash;       // the entry's hash (hex)
  std::string at;         // when anchored (RFC 3339)
  std::string key_id;     // the signing key's id
  std::string signature;  // over AnchorMessage(seq, hash), base64

  // The signed text: "entente-audit-anchor <seq> <hash>".
  static std::string Message(int64_t seq, std::string_view hash);
};

// "<db path>.audit-anchors" for a SQLite file; for PostgreSQL, $ENTENTE_AUDIT_ANCHORS or
// "<database>.audit-anchors" in the working directory.
std::string DefaultAnchorPath(const std::string& db_target);

// The chain's head: (0, "") when the trail is empty.
Result<std::pair<int64_t, std::string>> AuditHead(Database& db);

// Appends one anchor as a JSON line (the file is created mode 0600), after cutting a last line
// that a crash left without its newline. IOError naming the file.
Status AppendAnchor(const std::string& path, const AuditAnchor& anchor);
// Every anchor in the file, in order; an absent file has none, and a torn last line (no
// newline: its write was cut by a crash) is not one. Corruption naming a bad line.
Result<std::vector<AuditAnchor>> ReadAnchors(const std::string& path);

// Checks the trail against `anchors`: each anchored entry must still exist with its hash and a
// signature `verify` accepts. Returns "" when all hold, else what is wrong, for people.
using AnchorVerifier = std::function<bool(const AuditAnchor& anchor)>;
Result<std::string> CheckAnchors(Database& db, const std::vector<AuditAnchor>& anchors,
                                 const AnchorVerifier& verify);

}  // namespace entente::server
