// Per-key token buckets: at most `per_minute` requests a minute on average, with bursts of up
// to `burst`. The server keys them by token id (or partner name) for search and match routes.
//
// ShareThrough() keeps the buckets in the store (table server_rate_buckets, wall-clock times in
// milliseconds) instead of this process's memory, so that every server over one database draws
// on the same bucket: three servers behind a balancer enforce one limit, not three. Each take is
// one statement (an upsert that refills and takes in the row's own lock), so two servers never
// both take the last token. The servers' clocks must agree (NTP). When the store cannot be
// reached, the buckets of this process are used meanwhile.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/status.h"
#include "store/database.h"

namespace entente::server {

class DbPool;

class RateLimiter {
 public:
  RateLimiter(int per_minute, int burst) : per_minute_(per_minute), burst_(burst) {}

  // Creates the shared table (component "server_rate_buckets").
  static Status Migrate(Database& db);
  // Keeps the buckets in the store through `pool` (which must outlive this), under keys
  // prefixed with `scope` so that limiters sharing the table keep apart.
  void ShareThrough(DbPool* pool, std::string scope);

  // Takes one token for `key`. False when the bucket is empty; *retry_after_seconds then says
  // when the next token comes.
  bool Allow(const std::string& key, int* retry_after_seconds);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point last;
  };
  // The tokens left in the shared bucket after this take, and whether it took one.
  struct Taken {
    bool allowed = false;
    double tokens = 0;
  };
  Result<Taken> SharedTake(const std::string& key);
  bool LocalAllow(const std::string& key, int* retry_after_seconds);
  int RetryAfter(double tokens) const;

  int per_minute_;
  int burst_;
  DbPool* pool_ = nullptr;
  std::string scope_;
  std::string take_sql_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace entente::server
