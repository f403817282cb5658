// Failed authentications, counted per client address and per claimed user (a token's public
// id, a basic-auth user name, a sign-in name). After `free_failures` failures in a row a key is
// locked out for a time that doubles with every further failure (1 s, 2 s, 4 s ... up to
// `max_lockout`); a success clears it. While an address or user is locked out its requests are
// answered 429 with Retry-After before any credential is checked, so guessing costs time.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace entente::server {

class AuthThrottle {
 public:
  explicit AuthThrottle(int free_failures = 5,
                        std::chrono::seconds max_lockout = std::chrono::seconds(300))
      : free_failures_(free_failures), max_lockout_(max_lockout) {}

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

  int free_failures_;
  std::chrono::seconds max_lockout_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::chrono::steady_clock::time_point last_sweep_;
};

}  // namespace entente::server
