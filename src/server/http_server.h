// The entente HTTP server: HTTPS (TLS 1.2+, OpenSSL via cpp-httplib) by default, plain HTTP
// only when asked; JSON API under /api/v1; bearer tokens (and HTTP Basic or client
// certificates on routes that accept them); the role matrix, body and rate limits, slow-client
// protection and the audit trail applied before any handler runs.
//
//   HttpServer server(config);
//   server.router().Add({...});     // optional: extra routes (see http/route.h)
//   ENTENTE_RETURN_IF_ERROR(server.Start());   // binds; serving on a background thread
//   std::cout << server.url();                 // "https://127.0.0.1:8443"
//   ...
//   server.Stop();                  // in-flight requests finish; the store is closed
//
// Start() mounts the built-in routes (entities, stats, users, audit, match, imports,
// openapi) and every other group of routes in src/api (see
// api/mount_all.h), after any routes added before it.
//
// Thread-safety: router()/services() before Start() only; Stop() from any thread, once
// started; url()/port() after Start().
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "http/route.h"
#include "http/router.h"
#include "http/server_config.h"

namespace entente::server {

class HttpServer {
 public:
  explicit HttpServer(ServerConfig config);
  ~HttpServer();  // Stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  Router& router();
  Services& services();
  const ServerConfig& config() const;

  // Validates the config, opens and migrates the store, loads the token key, mounts the
  // routes, loads the certificates and binds. Errors: InvalidArgument (config), IOError
  // (certificate, key, bind), the store's errors.
  Status Start();
  int port() const;
  std::string url() const;  // scheme://host:port
  // Stops accepting connections, waits for in-flight requests, closes the store. Idempotent.
  void Stop();
  // Blocks until Stop() is called (by another thread).
  void Wait();

  // Connections cut for being too slow (for tests and metrics).
  int64_t slow_connections_cut() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace entente::server
