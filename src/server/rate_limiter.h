// Per-key token buckets: at most `per_minute` requests a minute on average, with bursts of up
// to `burst`. The server keys them by token id (or partner name) for search and match routes.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace entente::server {

class RateLimiter {
 public:
  RateLimiter(int per_minute, int burst) : per_minute_(per_minute), burst_(burst) {}
  // Takes one token for `key`. False when the bucket is empty; *retry_after_seconds then says
  // when the next token comes.
  bool Allow(const std::string& key, int* retry_after_seconds);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point last;
  };
  int per_minute_;
  int burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace entente::server
