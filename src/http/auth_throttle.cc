#include "http/auth_throttle.h"

#include <algorithm>

namespace entente::server {
namespace {

using Clock = std::chrono::steady_clock;

// Keys not seen failing for this long are forgotten (their count starts over).
constexpr std::chrono::minutes kForgetAfter(15);

}  // namespace

int AuthThrottle::RetryAfter(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return 0;
  auto now = Clock::now();
  if (it->second.locked_until <= now) return 0;
  auto left = std::chrono::duration_cast<std::chrono::seconds>(it->second.locked_until - now);
  return static_cast<int>(left.count()) + 1;
}

int AuthThrottle::Failure(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto now = Clock::now();
  ForgetOld(now);
  Entry& entry = entries_[key];
  ++entry.failures;
  entry.last_failure = now;
  if (entry.failures <= free_failures_) return 0;
  int doublings = std::min(entry.failures - free_failures_ - 1, 20);
  auto lockout =
      std::min<std::chrono::seconds>(std::chrono::seconds(1LL << doublings), max_lockout_);
  entry.locked_until = now + lockout;
  return static_cast<int>(lockout.count());
}

void AuthThrottle::Success(const std::string& key) {
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
