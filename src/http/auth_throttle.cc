#include "http/auth_throttle.h"

#include <algorithm>

#include "common/time.h"
#include "http/db_pool.h"
#include "store/migrations.h"

namespace entente::server {
namespace {

using Clock = std::chrono::steady_clock;

// Keys not seen failing for this long are forgotten (their count starts over).
constexpr std::chrono::minutes kForgetAfter(15);

const std::vector<std::string> kMigrations = {
    R"sql(
CREATE TABLE server_auth_throttle (
  throttle_key TEXT PRIMARY KEY,
  failures BIGINT NOT NULL,
  last_failure_ms BIGINT NOT NULL,
  locked_until_ms BIGINT NOT NULL
);
)sql",
};

}  // namespace

Status AuthThrottle::Migrate(Database& db) {
  return ApplyMigrations(db, "server_auth_throttle", kMigrations);
}

void AuthThrottle::ShareThrough(DbPool* pool, std::string scope) {
  pool_ = pool;
  scope_ = std::move(scope) + ":";
}

int AuthThrottle::LockoutFor(int failures) const {
  if (failures <= free_failures_) return 0;
  int doublings = std::min(failures - free_failures_ - 1, 20);
  return static_cast<int>(
      std::min<std::chrono::seconds>(std::chrono::seconds(1LL << doublings), max_lockout_).count());
}

Result<int> AuthThrottle::SharedRetryAfter(const std::string& key) {
  ENTENTE_ASSIGN_OR_RETURN(auto lease, pool_->Acquire());
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows,
      lease->db().Query("SELECT locked_until_ms FROM server_auth_throttle WHERE throttle_key = ?",
                        {scope_ + key}));
  int64_t left_ms = rows.empty() ? 0 : rows[0].Int(0) - NowMillis();
  return left_ms <= 0 ? 0 : static_cast<int>(left_ms / 1000) + 1;
}

Result<int> AuthThrottle::SharedFailure(const std::string& key) {
  ENTENTE_ASSIGN_OR_RETURN(auto lease, pool_->Acquire());
  Database& db = lease->db();
  const int64_t now = NowMillis();
  const int64_t forget_before =
      now - std::chrono::duration_cast<std::chrono::milliseconds>(kForgetAfter).count();
  Transaction tx(&db);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  // One statement counts the failure, whichever server saw the others (a count older than
  // kForgetAfter starts over).
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("INSERT INTO server_auth_throttle (throttle_key, failures, last_failure_ms, "
               "locked_until_ms) VALUES (?, 1, ?, 0) ON CONFLICT (throttle_key) DO UPDATE SET "
               "failures = CASE WHEN server_auth_throttle.last_failure_ms < ? THEN 1 "
               "ELSE server_auth_throttle.failures + 1 END, "
               "last_failure_ms = excluded.last_failure_ms RETURNING failures",
               {scope_ + key, now, forget_before}));
  int failures = rows.empty() ? 1 : static_cast<int>(rows[0].Int(0));
  int lockout = LockoutFor(failures);
  if (lockout > 0) {
    ENTENTE_RETURN_IF_ERROR(
        db.Execute("UPDATE server_auth_throttle SET locked_until_ms = ? WHERE throttle_key = ?",
                   {now + int64_t{lockout} * 1000, scope_ + key}));
  }
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  return lockout;
}

Status AuthThrottle::SharedSuccess(const std::string& key) {
  ENTENTE_ASSIGN_OR_RETURN(auto lease, pool_->Acquire());
  // Every authenticated request ends here: write only when there is a count to clear.
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, lease->db().Query("SELECT 1 FROM server_auth_throttle WHERE throttle_key = ?",
                                   {scope_ + key}));
  if (rows.empty()) return Status::Ok();
  return lease->db().Execute("DELETE FROM server_auth_throttle WHERE throttle_key = ?",
                             {scope_ + key});
}

int AuthThrottle::RetryAfter(const std::string& key) {
  if (pool_) {
    auto shared = SharedRetryAfter(key);
    if (shared.ok()) return *shared;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return 0;
  auto now = Clock::now();
  if (it->second.locked_until <= now) return 0;
  auto left = std::chrono::duration_cast<std::chrono::seconds>(it->second.locked_until - now);
  return static_cast<int>(left.count()) + 1;
}

int AuthThrottle::Failure(const std::string& key) {
  if (pool_) {
    auto shared = SharedFailure(key);
    if (shared.ok()) return *shared;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  auto now = Clock::now();
  ForgetOld(now);
  Entry& entry = entries_[key];
  ++entry.failures;
  entry.last_failure = now;
  int lockout = LockoutFor(entry.failures);
  if (lockout > 0) entry.locked_until = now + std::chrono::seconds(lockout);
  return lockout;
}

void AuthThrottle::Success(const std::string& key) {
  if (pool_) (void)SharedSuccess(key);
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.erase(key);
}

void AuthThrottle::ForgetOld(Clock::time_point now) {
  if (now - last_sweep_ < std::chrono::minutes(1)) return;
  last_sweep_ = now;
  std::erase_if(entries_, [&](const auto& item) {
    return now - item.second.last_failure > kForgetAfter && item.second.locked_until <= now;
  });
}

}  // namespace entente::server
