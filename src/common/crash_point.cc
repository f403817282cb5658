#include "common/crash_point.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace entente {
namespace {

constexpr CrashPointInfo kCrashPoints[] = {
    {"import.batch_written", "an import wrote a batch of records, not yet committed"},
    {"import.batch_committed",
     "a batched import committed some of its records, the rest not yet written"},
    {"import.before_commit", "an import wrote every record and its audit entry, not committed"},
    {"import.after_commit", "an import committed, before it reported"},
    {"screen.list_stored", "a screening list and its job are stored, not committed"},
    {"screen.job_created", "a screening job was committed, before its first row was matched"},
    {"screen.batch_before_commit", "a batch of a job's hits is written, not committed"},
    {"screen.batch_committed", "a batch of a job's hits is committed, the next not started"},
    {"screen.before_done", "every row of a job is screened, the job not yet marked done"},
    {"rescreen.before_commit", "re-screening wrote a list's new hits and alerts, not committed"},
    {"rescreen.after_commit", "re-screening committed one list, before the next"},
    {"review.before_commit", "a review decision is written with its audit entry, not committed"},
    {"audit.before_commit", "an audit entry and the new chain head are written, not committed"},
    {"audit.anchor_torn", "half of an audit anchor line is written to the anchors file"},
    {"users.add_before_commit", "a new user and its token are written, not committed"},
    {"users.token_before_commit",
     "a new token for a user is written with its audit entry, not committed"},
    {"users.revoke_before_commit", "a user's revocation is written, not committed"},
    {"migration.before_commit", "a schema migration step ran, its version not committed"},
    {"migration.after_commit", "a schema migration step committed, the next not started"},
    {"share.agreement_before_commit",
     "an agreement is written with its audit entry, not committed"},
    {"share.publish_before_commit", "a collection's objects are written, not committed"},
    {"sync.page_before_commit",
     "a page pulled from a partner is applied with its cursor and audit entry, not committed",
     CrashPointInfo::kTwoNodeRecoveryTest},
    {"hitnohit.followup_before_commit",
     "a follow-up decision (and, when approved, the released record) is written with its audit "
     "entries, not committed",
     CrashPointInfo::kFollowupRecoveryTest},
    {"sync.page_committed", "a page pulled from a partner is committed, the next not asked for",
     CrashPointInfo::kTwoNodeRecoveryTest},
};

struct Target {
  std::string name;  // empty: no crash asked for
  long pass = 1;
};

const Target& TargetFromEnvironment() {
  static const Target target = [] {
    Target t;
    const char* value = std::getenv("ENTENTE_CRASH_AT");
    if (value == nullptr || *value == '\0') return t;
    std::string text = value;
    size_t colon = text.rfind(':');
    if (colon != std::string::npos) {
      t.pass = std::strtol(text.c_str() + colon + 1, nullptr, 10);
      if (t.pass < 1) t.pass = 1;
      text.resize(colon);
    }
    t.name = text;
    return t;
  }();
  return target;
}

}  // namespace

std::span<const CrashPointInfo> CrashPoints() { return kCrashPoints; }

void CrashPoint(std::string_view point) {
  const Target& target = TargetFromEnvironment();
  if (target.name.empty() || target.name != point) return;
  static std::atomic<long> passes{0};
  if (passes.fetch_add(1) + 1 == target.pass) kill(getpid(), SIGKILL);
}

}  // namespace entente
