#include "audit/audit_anchor.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string_view>

#include "audit/audit_log.h"
#include "common/crash_point.h"
#include "store/store_target.h"

namespace entente::server {

std::string AuditAnchor::Message(int64_t seq, std::string_view hash) {
  return "entente-audit-anchor " + std::to_string(seq) + " " + std::string(hash);
}

std::string DefaultAnchorPath(const std::string& db_target) {
  const char* env = std::getenv("ENTENTE_AUDIT_ANCHORS");
  if (IsPostgresTarget(db_target) && env && *env) return env;
  return StoreSidecarPath(db_target, ".audit-anchors");
}

Result<std::pair<int64_t, std::string>> AuditHead(Database& db) {
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db.Query("SELECT seq, hash FROM audit_head WHERE id = 1"));
  if (rows.empty()) return std::pair<int64_t, std::string>{0, ""};
  return std::pair<int64_t, std::string>{rows[0].Int(0), rows[0].Text(1)};
}

namespace {

// Cuts a last line that a crash left without its newline (a torn write: never a whole anchor),
// so that the next anchor starts on a line of its own.
bool DropTornTail(int fd) {
  off_t size = ::lseek(fd, 0, SEEK_END);
  if (size <= 0) return size == 0;
  char last = 0;
  if (::pread(fd, &last, 1, size - 1) != 1) return false;
  if (last == '\n') return true;
  off_t keep = size - 1;
  while (keep > 0) {
    char c = 0;
    if (::pread(fd, &c, 1, keep - 1) != 1) return false;
    if (c == '\n') break;
    --keep;
  }
  return ::ftruncate(fd, keep) == 0;
}

bool WriteAll(int fd, std::string_view text) {
  return ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

}  // namespace

Status AppendAnchor(const std::string& path, const AuditAnchor& anchor) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return IOError(path + ": cannot open the audit anchors file for appending");
  nlohmann::json line = {{"seq", anchor.seq},
                         {"hash", anchor.hash},
                         {"at", anchor.at},
                         {"key_id", anchor.key_id},
                         {"signature", anchor.signature}};
  std::string text = line.dump() + "\n";
  bool written = DropTornTail(fd);
  written = written && WriteAll(fd, std::string_view(text).substr(0, text.size() / 2));
  CrashPoint("audit.anchor_torn");
  written = written && WriteAll(fd, std::string_view(text).substr(text.size() / 2));
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) return IOError(path + ": cannot write the audit anchor");
  return Status::Ok();
}

Result<std::vector<AuditAnchor>> ReadAnchors(const std::string& path) {
  std::vector<AuditAnchor> anchors;
  std::ifstream in(path);
  if (!in) return anchors;
  std::string text;
  int64_t line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty()) continue;
    if (in.eof()) break;  // a last line without its newline: torn by a crash, never an anchor
    nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("seq") ||
        !parsed["seq"].is_number_integer() || !parsed.contains("hash") ||
        !parsed["hash"].is_string() || !parsed.contains("signature") ||
        !parsed["signature"].is_string()) {
      return Corruption(path + " line " + std::to_string(line) + ": not an audit anchor");
    }
    anchors.push_back({parsed["seq"].get<int64_t>(), parsed["hash"].get<std::string>(),
                       parsed.value("at", ""), parsed.value("key_id", ""),
                       parsed["signature"].get<std::string>()});
  }
  return anchors;
}

Result<std::string> CheckAnchors(Database& db, const std::vector<AuditAnchor>& anchors,
                                 const AnchorVerifier& verify) {
  ENTENTE_ASSIGN_OR_RETURN(auto head, AuditHead(db));
  for (const AuditAnchor& anchor : anchors) {
    std::string where = "anchor of entry " + std::to_string(anchor.seq) + " (" + anchor.at + ")";
    if (!verify(anchor)) return where + ": the signature does not verify with this node's key";
    if (head.first < anchor.seq) {
      return where + ": the trail ends at entry " + std::to_string(head.first) +
             ", so entries were removed after it was anchored";
    }
    ENTENTE_ASSIGN_OR_RETURN(auto entries, AuditLog::Read(db, {anchor.seq - 1, "", "", "", 1}));
    if (entries.empty() || entries.front().seq != anchor.seq) {
      return where + ": the entry is gone from the trail";
    }
    if (entries.front().hash != anchor.hash) {
      return where + ": the entry's hash differs (the chain was rewritten)";
    }
  }
  return std::string();
}

}  // namespace entente::server
