#include "server/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/time.h"
#include "http/db_pool.h"
#include "store/migrations.h"

namespace entente::server {
namespace {

const std::vector<std::string> kMigrations = {
    R"sql(
CREATE TABLE server_rate_buckets (
  bucket_key TEXT PRIMARY KEY,
  tokens DOUBLE PRECISION NOT NULL,
  last_ms BIGINT NOT NULL,
  allowed INTEGER NOT NULL
);
)sql",
};

// One take, in one statement: the bucket refilled for the time since its last take (at most
// `burst`), then one token taken when there is one; a new key starts full. Parameters: key,
// burst - 1, now. Written with CASE (not LEAST/MIN) so that both back ends run it.
std::string TakeSql(int per_minute, int burst) {
  char rate[64], cap[32];
  std::snprintf(rate, sizeof rate, "%.17g", per_minute / 60000.0);  // tokens per millisecond
  std::snprintf(cap, sizeof cap, "%d.0", burst);
  const std::string level = std::string("(server_rate_buckets.tokens + (excluded.last_ms - ") +
                            "server_rate_buckets.last_ms) * " + rate + ")";
  const std::string refilled =
      "(CASE WHEN " + level + " > " + cap + " THEN " + cap + " ELSE " + level + " END)";
  const std::string take = "(CASE WHEN " + refilled + " >= 1 THEN 1 ELSE 0 END)";
  return "INSERT INTO server_rate_buckets (bucket_key, tokens, last_ms, allowed)"
         " VALUES (?, ?, ?, 1) ON CONFLICT (bucket_key) DO UPDATE SET allowed = " +
         take + ", tokens = " + refilled + " - " + take +
         ", last_ms = excluded.last_ms RETURNING allowed, tokens";
}

}  // namespace

Status RateLimiter::Migrate(Database& db) {
  return ApplyMigrations(db, "server_rate_buckets", kMigrations);
}

void RateLimiter::ShareThrough(DbPool* pool, std::string scope) {
  pool_ = pool;
  scope_ = std::move(scope) + ":";
  take_sql_ = TakeSql(per_minute_, burst_);
}

int RateLimiter::RetryAfter(double tokens) const {
  double per_second = per_minute_ / 60.0;
  return std::max(1, static_cast<int>(std::ceil((1.0 - tokens) / per_second)));
}

Result<RateLimiter::Taken> RateLimiter::SharedTake(const std::string& key) {
  ENTENTE_ASSIGN_OR_RETURN(auto lease, pool_->Acquire());
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, lease->db().Query(take_sql_, {scope_ + key, static_cast<double>(burst_ - 1),
                                               NowMillis()}));
  if (rows.empty()) return Internal("rate limit: the take returned no row");
  return Taken{rows[0].Int(0) == 1, rows[0].Real(1)};
}

bool RateLimiter::Allow(const std::string& key, int* retry_after_seconds) {
  if (pool_) {
    auto taken = SharedTake(key);
    if (taken.ok()) {
      if (!taken->allowed && retry_after_seconds) *retry_after_seconds = RetryAfter(taken->tokens);
      return taken->allowed;
    }
  }
  return LocalAllow(key, retry_after_seconds);
}

bool RateLimiter::LocalAllow(const std::string& key, int* retry_after_seconds) {
  auto now = std::chrono::steady_clock::now();
  double per_second = per_minute_ / 60.0;
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, inserted] = buckets_.try_emplace(key);
  Bucket& bucket = it->second;
  if (inserted) {
    bucket.tokens = burst_;
  } else {
    double elapsed = std::chrono::duration<double>(now - bucket.last).count();
    bucket.tokens = std::min<double>(burst_, bucket.tokens + elapsed * per_second);
  }
  bucket.last = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return true;
  }
  if (retry_after_seconds) *retry_after_seconds = RetryAfter(bucket.tokens);
  return false;
}

}  // namespace entente::server
