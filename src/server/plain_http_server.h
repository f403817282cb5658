// The plain-HTTP server (`--http`: behind a TLS proxy, or for tests) with the slow-client guard
// of connection_guard.h. cpp-httplib has no hook that names the socket of a plain connection
// before its request is read, so this server serves each accepted socket itself: it registers
// the socket with the guard, reads requests through a buffered stream with the read and write
// timeouts, keeps the connection alive between requests as cpp-httplib does, and forgets the
// socket before closing it.
//
// Thread-safety: as httplib::Server; CurrentConnection() is per thread.
#pragma once

#include <httplib.h>

#include "server/connection_guard.h"

namespace entente::server {

class PlainHttpServer : public httplib::Server {
 public:
  // REQUIRES: `guard` outlives the server.
  explicit PlainHttpServer(ConnectionGuard* guard) : guard_(guard) {}

  // The connection (a ConnectionGuard key) this thread is serving, or null.
  static const void* CurrentConnection();
  // Lets `backlog` connections wait for accept (cpp-httplib listens with 5: a burst of
  // connections, slow ones included, would make a normal client's connect wait a second for
  // its SYN to be sent again). REQUIRES: bound (bind_to_port).
  void SetListenBacklog(int backlog);

 private:
  bool process_and_close_socket(socket_t sock) override;
  // Waits until `sock` has bytes for a next request: false when the keep-alive time passes
  // or the server stops.
  bool WaitForNextRequest(socket_t sock) const;

  ConnectionGuard* guard_;
};

}  // namespace entente::server
