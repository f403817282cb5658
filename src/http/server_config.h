// The server's settings: where it listens, its certificates, its limits and its partners.
// Read from a TOML file (`entente serve --config FILE`); the common settings can also be given
// as flags, which override the file. Example (every key optional):
//
//   [server]
//   listen = "127.0.0.1:8443"    # HOST:PORT; port 0 picks a free port
//   http = false                 # plain HTTP: only for a proxy in front or tests
//   db = "entente.db"            # the store; the global --db flag wins when given
//   service = "DGSN-DGST"        # this node's service
//   token_key_file = ""          # default: <db>.token-key
//   id_key_file = ""             # the record-id key; default: <db>.id-key (ingest/record_ids.h)
//   audit_anchors_file = ""      # default: <db>.audit-anchors (keep it on another volume)
//   log_level = "info"           # trace, debug, info, warn, error
//   static_dir = "web/dist"      # served as static files under /ui/ (no credentials)
//
//   [tls]
//   cert = "server.crt"          # PEM chain
//   key = "server.key"           # PEM private key
//   client_ca = "ca.crt"         # when set, client certificates signed by it are verified
//                                # (optional for users, required to act as a partner)
//
//   [limits]
//   max_body_bytes = 1048576     # 413 beyond, per request
//   max_import_bytes = 67108864  # for file uploads
//   request_timeout_seconds = 30 # a request must arrive in full within this (slow clients)
//   read_timeout_seconds = 5     # silence on a connection before it is dropped
//   write_timeout_seconds = 5
//   keep_alive_seconds = 5
//   max_connections = 64         # worker threads; more connections get 503
//   max_slow_connections_per_address = 8  # with no request head after 1 s (0: no cap;
//                                # default 8 on HTTPS, 0 with --http)
//   rate_per_minute = 600        # per token, for search and match routes (429 beyond)
//   rate_burst = 60
//
//   [match]
//   refresh_ms = 2000            # how often the match index catches up with the store
//
//   [sync]
//   interval_seconds = 0         # pull from every partner whose agreement has a url, this
//                                # often (0: no scheduled pulls; `entente sync` by hand)
//
//   [[partners]]
//   name = "dgsi"                # the partner's name in agreements
//   service = "DGSI"             # its service, for markings
//   cert_cn = "dgsi"             # client certificate subject CN that identifies it
//   cert_sha256 = ""             # or the certificate's SHA-256 fingerprint (hex)
//   clearance = "AMBER"          # the highest TLP it may be sent
//
// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/types.h"

namespace entente::server {

struct PartnerConfig {
  std::string name;
  std::string service;
  std::string cert_cn;
  std::string cert_sha256;
  Tlp clearance = Tlp::kGreen;
};

struct ServerLimits {
  size_t max_body_bytes = 1 << 20;
  size_t max_import_bytes = 64 << 20;
  int request_timeout_seconds = 30;
  int read_timeout_seconds = 5;
  int write_timeout_seconds = 5;
  int keep_alive_seconds = 5;
  int max_connections = 64;
  // Connections one address (IPv6: one /64) may hold that have sent no request head for a
  // second (0: no cap). -1, the default: 8 on HTTPS, 0 with `--http` (behind a proxy, whose one
  // address carries every client).
  int max_slow_connections_per_address = -1;
  int rate_per_minute = 600;
  int rate_burst = 60;
};

struct ServerConfig {
  std::string db_target = "entente.db";
  std::string host = "127.0.0.1";
  int port = 8443;
  bool plain_http = false;
  std::string service = "local";
  std::string token_key_file;  // empty: DefaultTokenKeyPath(db_target)
  std::string id_key_file;     // empty: ingest::DefaultRecordIdKeyPath(db_target)
  // Where the audit trail's signed anchors go (audit/audit_anchor.h); empty: DefaultAnchorPath.
  std::string audit_anchors_file;
  std::string log_level = "info";
  std::string tls_cert;
  std::string tls_key;
  std::string client_ca;
  ServerLimits limits;
  int match_refresh_ms = 2000;
  // [server] worker: `entente serve` takes chunks of screening jobs (false: leave them to
  // `entente worker` processes; the --no-worker flag says the same).
  bool screening_worker = true;
  // Scheduled partner pulls inside `entente serve` (exchange::SyncScheduler); 0: none.
  int sync_interval_seconds = 0;
  std::vector<PartnerConfig> partners;
  // Where uploaded import files are kept while a job runs; empty: a temp folder.
  std::string upload_dir;
  // A folder served as static files under /ui/ (the analyst web UI); empty: none.
  std::string static_dir;
  // Browser sessions ([session]): a session unused this long ends, and none lasts longer.
  int session_idle_timeout_seconds = 30 * 60;
  int session_lifetime_seconds = 12 * 60 * 60;
};

// Reads a TOML file over `base` (keys absent from the file keep base's value).
// InvalidArgument naming the file, key and reason; IOError when unreadable.
Result<ServerConfig> LoadServerConfig(const std::string& path, ServerConfig base);
// Parses "HOST:PORT" ("[::1]:8443" for IPv6). InvalidArgument on anything else.
Status ParseListen(const std::string& text, std::string* host, int* port);
// Checks the whole: certificates given unless plain_http, limits positive, partners named.
Status ValidateServerConfig(const ServerConfig& config);

}  // namespace entente::server
