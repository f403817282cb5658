#include "server/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace entente::server {

bool RateLimiter::Allow(const std::string& key, int* retry_after_seconds) {
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
  if (retry_after_seconds) {
    *retry_after_seconds =
        std::max(1, static_cast<int>(std::ceil((1.0 - bucket.tokens) / per_second)));
  }
  return false;
}

}  // namespace entente::server
