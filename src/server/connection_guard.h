// Protection against slow clients, on HTTPS and on plain HTTP alike: every connection must
// complete its TLS handshake (HTTPS) and then each request (headers and body) within
// `request_timeout`; a connection idle between requests gets `idle_timeout` more. Past its
// deadline the guard shuts the socket down, which frees the worker thread at once. Without it a
// client sending one byte a second would hold a worker for hours, since the socket's read
// timeout restarts with every byte.
//
// A connection is "reading" while it has not sent the head (request line and headers) of its
// next request: from when it is registered, and again from each response it was sent, so a
// fast first request does not exempt a trickled second one. One address (IPv4: the address;
// IPv6: its /64, which one host holds) may not hold more than `max_slow_per_address`
// connections that have been reading for `slow_after` or more (a client opening many
// connections and sending nothing): the guard cuts the newest beyond that at once. 0 turns that
// cap off (a proxy in front, whose one address carries every client). And all addresses
// together may not hold more than `max_reading` such connections (about half the workers, so
// many addresses cannot take every worker): the oldest beyond that are cut. 0: no such bound.
//
// How a connection is known: on HTTPS an OpenSSL info callback registers it (its SSL* and
// socket) when the handshake starts, and SSL ex_data's free callback forgets it before
// cpp-httplib closes the socket; on plain HTTP the server (plain_http_server.h) registers the
// socket when a worker takes it and forgets it before closing it. Either way the guard never
// touches a reused descriptor. The server marks when a request's head was read (before
// authentication, the store and the body), when it is being handled (no deadline: handlers may
// run long) and when its response is sent. A background thread checks four times
// a second.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace entente::server {

struct ConnectionGuardLimits {
  std::chrono::seconds request_timeout{30};
  std::chrono::seconds idle_timeout{5};
  int max_slow_per_address = 8;  // 0: no cap
  int max_reading = 0;           // over all addresses; 0: no bound
  std::chrono::milliseconds slow_after{1000};
};

class ConnectionGuard {
 public:
  explicit ConnectionGuard(const ConnectionGuardLimits& limits);
  ~ConnectionGuard();
  ConnectionGuard(const ConnectionGuard&) = delete;
  ConnectionGuard& operator=(const ConnectionGuard&) = delete;

  // Installs the callbacks on a server SSL_CTX. REQUIRES: the guard outlives `ctx`.
  void Install(SSL_CTX* ctx);
  // A plain-HTTP connection on socket `fd`, known by `connection` (any pointer unique while it
  // is served) until Forget(connection), which must come before the socket is closed.
  void Register(const void* connection, int fd);
  void Forget(const void* connection);
  // The head of a request on `connection` (an SSL* or a plain connection) was read: it no
  // longer counts against the caps (its body still must come within the request timeout).
  void HeadRead(const void* connection);
  // The request on `connection` was read in full and is being handled (no deadline).
  void RequestStarted(const void* connection);
  // Its response was sent; the next request must come in time, and the connection is reading
  // again.
  void ResponseSent(const void* connection);
  // Connections cut so far (deadline passed, or over the per-address cap).
  int64_t cut() const;

 private:
  struct Entry {
    int fd = -1;
    std::string address;  // the peer's IP address
    std::string group;    // the address, for IPv6 its /64: what the per-address cap counts
    bool handling = false;
    bool head_read = false;  // the head of its current request was read
    std::chrono::steady_clock::time_point reading_since;  // registered, or the last response
    std::chrono::steady_clock::time_point deadline;
  };
  static void InfoCallback(const SSL* ssl, int where, int ret);
  static void FreeCallback(void* parent, void* ptr, CRYPTO_EX_DATA* ad, int idx, long argl,
                           void* argp);
  void RegisterTls(SSL* ssl);
  void Run();
  // Shuts the socket down (cpp-httplib closes it); its reads fail now. Logged with `why`
  // (the client's address at debug level only).
  void Cut(Entry& entry, const char* why);
  void CutPastDeadline(std::chrono::steady_clock::time_point now);
  void CutOverAddressCap(std::chrono::steady_clock::time_point now);
  void CutOverReadingBound(std::chrono::steady_clock::time_point now);
  // Open connections reading for `slow_after` or more.
  std::vector<Entry*> SlowReaders(std::chrono::steady_clock::time_point now);

  ConnectionGuardLimits limits_;
  mutable std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  int64_t cut_ = 0;
  std::unordered_map<const void*, Entry> entries_;
  std::thread thread_;
};

}  // namespace entente::server
