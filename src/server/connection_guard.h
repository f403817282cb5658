// Protection against slow clients on HTTPS: every connection must complete its TLS handshake
// and then each request (headers and body) within `request_timeout`; a connection idle between
// requests gets `idle_timeout` more. Past its deadline the guard shuts the socket down, which
// frees the worker thread at once. Without it a client sending one byte a second would hold a
// worker for hours, since cpp-httplib's read timeout restarts with every byte.
//
// How: an OpenSSL info callback registers the connection (its SSL* and socket) on the worker
// thread when the handshake starts; the server marks when a request is being handled (no
// deadline: handlers may run long) and when its response is sent; SSL ex_data's free callback
// forgets the connection before cpp-httplib closes the socket, so the guard never touches a
// reused descriptor. A background thread checks deadlines four times a second.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace entente::server {

class ConnectionGuard {
 public:
  ConnectionGuard(std::chrono::seconds request_timeout, std::chrono::seconds idle_timeout);
  ~ConnectionGuard();
  ConnectionGuard(const ConnectionGuard&) = delete;
  ConnectionGuard& operator=(const ConnectionGuard&) = delete;

  // Installs the callbacks on a server SSL_CTX. REQUIRES: the guard outlives `ctx`.
  void Install(SSL_CTX* ctx);
  // The request on `ssl` was read in full and is being handled.
  void RequestStarted(const SSL* ssl);
  // Its response was sent; the next request must come in time.
  void ResponseSent(const SSL* ssl);
  // Connections cut so far.
  int64_t cut() const;

 private:
  struct Entry {
    int fd = -1;
    bool handling = false;
    std::chrono::steady_clock::time_point deadline;
  };
  static void InfoCallback(const SSL* ssl, int where, int ret);
  static void FreeCallback(void* parent, void* ptr, CRYPTO_EX_DATA* ad, int idx, long argl,
                           void* argp);
  void Register(SSL* ssl);
  void Forget(const SSL* ssl);
  void Run();

  std::chrono::seconds request_timeout_;
  std::chrono::seconds idle_timeout_;
  mutable std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  int64_t cut_ = 0;
  std::unordered_map<const SSL*, Entry> entries_;
  std::thread thread_;
};

}  // namespace entente::server
