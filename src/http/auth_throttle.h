// Failed authentications, counted per client address and per claimed user (a token's public
// id, a basic-auth user name, a sign-in name). After `free_failures` failures in a row a key is
// locked out for a time that doubles with every further failure (1 s, 2 s, 4 s ... up to
// `max_lockout`); a success clears it. While an address or user is locked out its requests are
// answered 429 with Retry-After before any credential is checked, so guessing costs time.
//
// ShareThrough() keeps the counts in the store (table server_auth_throttle, wall-clock times)
// instead of this process's memory, so that every server over one database counts the same
// failures: a guesser gains nothing by spreading tries over the servers of a balancer. When
// the store cannot be reached the counts of this process are used meanwhile.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/status.h"
#include "store/database.h"

namespace entente::server {

class DbPool;

class AuthThrottle {
 public:
  explicit AuthThrottle(int free_failures = 5,
                        std::chrono::seconds max_lockout = std::chrono::seconds(300))
      : free_failures_(free_failures), max_lockout_(max_lockout) {}

  // Creates the shared table (component "server_auth_throttle").
  static Status Migrate(Database& db);
  // Counts in the store through `pool` (which must outlive this), under keys prefixed with
  // `scope` ("address", "user") so that throttles sharing a table keep apart.
  void ShareThrough(DbPool* pool, std::string scope);

  // Seconds until `key` may try again; 0 when it may now.
  int RetryAfter(const std::string& key);
  // Records a failure. Returns the lockout it starts, in seconds (0: none yet).
  int Failure(const std::string& key);
  void Success(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    std::chrono::steady_clock::time_point last_failure;
    std::chrono::steady_clock::time_point locked_until;
  };
  void ForgetOld(std::chrono::steady_clock::time_point now);
  int LockoutFor(int failures) const;
  // The shared versions; Unavailable (and the caller falls back) when the store fails.
  Result<int> SharedRetryAfter(const std::string& key);
  Result<int> SharedFailure(const std::string& key);
  Status SharedSuccess(const std::string& key);

  DbPool* pool_ = nullptr;
  std::string scope_;

  int free_failures_;
  std::chrono::seconds max_lockout_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::chrono::steady_clock::time_point last_sweep_;
};

}  // namespace entente::server
