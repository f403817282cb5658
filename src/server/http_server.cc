#include "server/http_server.h"

#include <httplib.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "api/cursor_seal.h"
#include "api/import_jobs.h"
#include "api/match_service.h"
#include "api/mount_all.h"
#include "auth/session_store.h"
#include "auth/user_store.h"
#include "common/text.h"
#include "http/auth_throttle.h"
#include "http/db_pool.h"
#include "http/node_database.h"
#include "ingest/record_ids.h"
#include "server/audit_anchorer.h"
#include "server/connection_guard.h"
#include "server/plain_http_server.h"
#include "server/rate_limiter.h"
#include "server/transport_errors.h"
#include "server/worker_pool.h"

namespace entente::server {
namespace {

// The key that seals cursors (api/cursor_seal.h): a keyed hash of a fixed label under the
// token-hash key, so that every server over one store (they share that key) opens the others'.
SecretBytes CursorKeyFrom(const TokenKey& token_key) {
  std::string hex = token_key.Hash("entente cursor seal key v1");
  SecretBytes key{};
  sodium_hex2bin(key.data(), key.size(), hex.data(), hex.size(), nullptr, nullptr, nullptr);
  return key;
}

// What the pre-routing step learned about a request, handed to the handler on the same
// worker thread (cpp-httplib runs both for one request on one thread, in that order).
struct Pending {
  const RouteSpec* route = nullptr;
  std::map<std::string, std::string> params;
  Principal principal;
  std::unique_ptr<DbPool::Lease> lease;
};
thread_local std::optional<Pending> t_pending;
thread_local const char* t_route_pattern = nullptr;

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::optional<std::string> DecodeBase64(const std::string& text);

// A credential this route does not take (a bearer token on a client-certificate route): a
// refusal, but not a guess to count against the caller.
constexpr char kUnsupportedScheme[] = "unsupported authorization scheme for this route";

constexpr char kUiContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// Who the credentials claim to be, for counting failures: a bearer token's public id
// ("ent_<id>_<secret>"), a basic-auth user name, or "" when there is no claim.
std::string ClaimedIdentity(const httplib::Request& req) {
  std::string authorization = req.get_header_value("Authorization");
  size_t space = authorization.find(' ');
  if (space == std::string::npos) return "";
  std::string scheme = Lower(authorization.substr(0, space));
  std::string credentials = authorization.substr(space + 1);
  if (scheme == "bearer") {
    size_t second = credentials.find('_', 4);
    return credentials.rfind("ent_", 0) == 0 && second != std::string::npos
               ? "token:" + credentials.substr(4, std::min<size_t>(second - 4, 32))
               : "token:malformed";
  }
  if (scheme == "basic") {
    auto decoded = DecodeBase64(credentials);
    size_t colon = decoded ? decoded->find(':') : std::string::npos;
    return colon == std::string::npos ? ""
                                      : "user:" + decoded->substr(0, std::min<size_t>(colon, 64));
  }
  return "";
}

std::optional<std::string> DecodeBase64(const std::string& text) {
  std::string out(text.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  if (code == 0) return "unknown OpenSSL error";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  return buffer;
}

// The HTTPS server, able to let as many connections wait for accept as the plain one
// (cpp-httplib listens with a backlog of 5). REQUIRES for SetListenBacklog: bound.
class HttpsServer : public httplib::SSLServer {
 public:
  using httplib::SSLServer::SSLServer;
  void SetListenBacklog(int backlog) { ::listen(svr_sock_, backlog); }
};

// The connection guard's key of the connection `req` came on.
const void* CurrentConnection(const httplib::Request& req) {
  return req.ssl ? static_cast<const void*>(req.ssl) : PlainHttpServer::CurrentConnection();
}

}  // namespace

struct HttpServer::Impl {
  ServerConfig config;
  Router router;
  Services services;
  std::unique_ptr<DbPool> pool;
  std::optional<TokenKey> token_key;
  std::unique_ptr<RateLimiter> rate_limiter;
  std::unique_ptr<AuditAnchorer> anchorer;
  std::unique_ptr<RateLimiter> failure_audit_limiter;
  AuthThrottle address_throttle{20};  // failed authentications per client address
  AuthThrottle user_throttle{5};      // and per claimed user
  std::unique_ptr<ConnectionGuard> guard;
  std::shared_ptr<MatchService> match;
  std::shared_ptr<ImportJobs> imports;
  std::unique_ptr<httplib::Server> http;
  std::thread listen_thread;
  int port = 0;
  bool started = false;
  bool stopped = false;
  std::mutex stop_mutex;
  std::condition_variable stop_cv;
  std::mutex token_use_mutex;
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> token_use_audited;

  Status Configure();
  std::unique_ptr<httplib::Server> MakeHttpServer(Status* status);
  httplib::Server::HandlerResponse PreRoute(const httplib::Request& req, httplib::Response& res);
  void Handle(const httplib::Request& req, httplib::Response& res);
  void Send(const RouteSpec* route, const HttpResponse& response, httplib::Response& res);
  void SendError(const RouteSpec* route, int status, std::string_view code,
                 std::string_view message, httplib::Response& res);
  std::optional<Principal> PartnerFromCertificate(const httplib::Request& req);
  Result<Principal> Authenticate(const RouteSpec& route, const httplib::Request& req, Database& db,
                                 std::string* failure);
  void AuditFailure(Database& db, const std::string& action, const std::string& target,
                    const AuditDetail& detail, const httplib::Request& req);
  void AuditTokenUse(Database& db, const Principal& principal);
};

HttpServer::HttpServer(ServerConfig config) : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
}

HttpServer::~HttpServer() { Stop(); }

Router& HttpServer::router() { return impl_->router; }
Services& HttpServer::services() { return impl_->services; }
const ServerConfig& HttpServer::config() const { return impl_->config; }
int HttpServer::port() const { return impl_->port; }

std::string HttpServer::url() const {
  std::string host = impl_->config.host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return std::string(impl_->config.plain_http ? "http" : "https") + "://" + host + ":" +
         std::to_string(impl_->port);
}

int64_t HttpServer::slow_connections_cut() const { return impl_->guard ? impl_->guard->cut() : 0; }

Status HttpServer::Impl::Configure() {
  ENTENTE_RETURN_IF_ERROR(ValidateServerConfig(config));
  if (sodium_init() < 0) return Internal("libsodium failed to initialise");
  pool = std::make_unique<DbPool>(config.db_target);
  {
    ENTENTE_ASSIGN_OR_RETURN(auto lease, pool->Acquire());
    ENTENTE_RETURN_IF_ERROR(RecordStore::Migrate(lease->db()));
    ENTENTE_RETURN_IF_ERROR(SessionStore::Migrate(lease->db()));
    ENTENTE_RETURN_IF_ERROR(ImportJobs::Migrate(lease->db()));
    ENTENTE_RETURN_IF_ERROR(AuthThrottle::Migrate(lease->db()));
    ENTENTE_RETURN_IF_ERROR(RateLimiter::Migrate(lease->db()));
  }
  address_throttle.ShareThrough(pool.get(), "address");
  user_throttle.ShareThrough(pool.get(), "user");
  std::string key_path =
      config.token_key_file.empty() ? DefaultTokenKeyPath(config.db_target) : config.token_key_file;
  ENTENTE_ASSIGN_OR_RETURN(TokenKey key, TokenKey::LoadOrCreate(key_path));
  token_key = key;
  services.Put<CursorSeal>(std::make_shared<CursorSeal>(CursorKeyFrom(key)));
  rate_limiter =
      std::make_unique<RateLimiter>(config.limits.rate_per_minute, config.limits.rate_burst);
  failure_audit_limiter = std::make_unique<RateLimiter>(600, 50);
  rate_limiter->ShareThrough(pool.get(), "requests");
  failure_audit_limiter->ShareThrough(pool.get(), "failure-audit");
  match = std::make_shared<MatchService>(pool.get(), config.match_refresh_ms);
  services.Put<MatchService>(match);
  ENTENTE_ASSIGN_OR_RETURN(RecordIdKey id_key,
                           ingest::LoadRecordIdKey(config.db_target, config.id_key_file));
  imports = std::make_shared<ImportJobs>(pool.get(), config.upload_dir, id_key);
  services.Put<ImportJobs>(imports);
  services.Put<NodeDatabase>(std::make_shared<NodeDatabase>(NodeDatabase{config.db_target}));
  BuiltinDeps deps;
  deps.router = &router;
  deps.config = &config;
  deps.token_key = &*token_key;
  deps.match = match.get();
  deps.imports = imports.get();
  deps.pool = pool.get();
  return MountAllRoutes(router, deps);
}

std::unique_ptr<httplib::Server> HttpServer::Impl::MakeHttpServer(Status* status) {
  ConnectionGuardLimits limits;
  limits.request_timeout = std::chrono::seconds(config.limits.request_timeout_seconds);
  limits.idle_timeout = std::chrono::seconds(config.limits.keep_alive_seconds);
  limits.max_slow_per_address = config.limits.max_slow_connections_per_address;
  if (limits.max_slow_per_address < 0) limits.max_slow_per_address = config.plain_http ? 0 : 8;
  limits.max_reading = std::max(1, config.limits.max_connections / 2);
  guard = std::make_unique<ConnectionGuard>(limits);
  if (config.plain_http) return std::make_unique<PlainHttpServer>(guard.get());
  std::string error;
  auto server = std::make_unique<HttpsServer>([this, &error](SSL_CTX& ctx) {
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_use_certificate_chain_file(&ctx, config.tls_cert.c_str()) != 1) {
      error = "TLS certificate " + config.tls_cert + ": " + OpenSslError();
      return false;
    }
    if (SSL_CTX_use_PrivateKey_file(&ctx, config.tls_key.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(&ctx) != 1) {
      error = "TLS key " + config.tls_key + ": " + OpenSslError();
      return false;
    }
    if (!config.client_ca.empty()) {
      STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(config.client_ca.c_str());
      if (names == nullptr ||
          SSL_CTX_load_verify_locations(&ctx, config.client_ca.c_str(), nullptr) != 1) {
        error = "client CA " + config.client_ca + ": " + OpenSslError();
        return false;
      }
      SSL_CTX_set_client_CA_list(&ctx, names);
      // Ask for a certificate, verify it when given, but let users without one in (they
      // authenticate with tokens); partners are recognised only by a verified certificate.
      SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
    }
    guard->Install(&ctx);
    return true;
  });
  if (!server->is_valid()) {
    *status = IOError(error.empty() ? "TLS set-up failed" : error);
    return nullptr;
  }
  return server;
}

Status HttpServer::Start() {
  Impl& impl = *impl_;
  if (impl.started) return InvalidArgument("server already started");
  // A peer closing its socket mid-write must fail that write, not kill the process (OpenSSL
  // writes with plain write(2)).
  signal(SIGPIPE, SIG_IGN);
  ENTENTE_RETURN_IF_ERROR(impl.Configure());
  Status tls_status;
  impl.http = impl.MakeHttpServer(&tls_status);
  if (!impl.http) return tls_status;
  httplib::Server& http = *impl.http;
  const ServerLimits& limits = impl.config.limits;
  size_t workers = static_cast<size_t>(limits.max_connections);
  http.new_task_queue = [workers] { return new WorkerPool(workers, workers); };
  http.set_read_timeout(limits.read_timeout_seconds, 0);
  http.set_write_timeout(limits.write_timeout_seconds, 0);
  http.set_keep_alive_timeout(limits.keep_alive_seconds);
  // Many requests per connection: a TLS handshake costs far more than a request.
  http.set_keep_alive_max_count(10000);
  // Responses go out in two writes (headers, body): without TCP_NODELAY the second waits for
  // the client's delayed ACK (about 40 ms on Linux), which dominated small-request latency.
  http.set_tcp_nodelay(true);
  http.set_payload_max_length(std::max(limits.max_body_bytes, limits.max_import_bytes));
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    return impl_->PreRoute(req, res);
  });
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    impl_->Handle(req, res);
  };
  http.Get(".*", handler);
  http.Post(".*", handler);
  http.Put(".*", handler);
  http.Patch(".*", handler);
  http.Delete(".*", handler);
  InstallTransportErrorBodies(http);
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        HttpResponse error = JsonError(500, "internal", "internal error; see the server log");
        res.status = 500;
        res.set_content(error.body, "application/json");
      });
  http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    if (impl_->guard && req.ssl) impl_->guard->ResponseSent(req.ssl);  // plain: its server
    spdlog::info("{} {} {}", req.method, t_route_pattern ? t_route_pattern : "-", res.status);
    spdlog::debug("{} {} {} from {}", req.method, req.path, res.status, req.remote_addr);
    t_route_pattern = nullptr;
  });
  if (!impl.config.static_dir.empty() && !http.set_mount_point("/ui", impl.config.static_dir)) {
    return NotFound("static_dir " + impl.config.static_dir + ": not a folder");
  }
  // The web UI's files go out with a strict Content-Security-Policy: only this origin's own
  // scripts (no inline script, no eval), no framing, no referrer.
  http.set_file_request_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Security-Policy", kUiContentSecurityPolicy);
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Cache-Control", "no-cache");
  });
  if (impl.config.port == 0) {
    impl.port = http.bind_to_any_port(impl.config.host);
    if (impl.port < 0) return IOError("cannot bind " + impl.config.host + ":0");
  } else {
    if (!http.bind_to_port(impl.config.host, impl.config.port)) {
      return IOError("cannot listen on " + impl.config.host + ":" +
                     std::to_string(impl.config.port) + " (in use, or not allowed)");
    }
    impl.port = impl.config.port;
  }
  if (auto* plain = dynamic_cast<PlainHttpServer*>(impl.http.get()))
    plain->SetListenBacklog(SOMAXCONN);
  if (auto* https = dynamic_cast<HttpsServer*>(impl.http.get())) https->SetListenBacklog(SOMAXCONN);
  impl.match->Start();
  impl.anchorer = std::make_unique<AuditAnchorer>(impl.config.db_target,
                                                  impl.config.audit_anchors_file.empty()
                                                      ? DefaultAnchorPath(impl.config.db_target)
                                                      : impl.config.audit_anchors_file);
  impl.anchorer->Start();
  impl.listen_thread = std::thread([this] { impl_->http->listen_after_bind(); });
  impl.started = true;
  spdlog::info("listening on {} ({} routes)", url(), impl.router.routes().size());
  return Status::Ok();
}

void HttpServer::Stop() {
  Impl& impl = *impl_;
  {
    std::lock_guard<std::mutex> lock(impl.stop_mutex);
    if (!impl.started || impl.stopped) return;
    impl.stopped = true;
  }
  spdlog::info("stopping: finishing in-flight requests");
  impl.http->stop();  // closes the listener; the worker pool drains and joins
  if (impl.listen_thread.joinable()) impl.listen_thread.join();
  if (impl.imports) impl.imports->Stop();
  if (impl.anchorer) impl.anchorer->Stop();  // the last anchor covers everything served
  if (impl.match) impl.match->Stop();
  impl.pool->CloseIdle();
  impl.stop_cv.notify_all();
  spdlog::info("stopped; store closed");
}

void HttpServer::Wait() {
  std::unique_lock<std::mutex> lock(impl_->stop_mutex);
  impl_->stop_cv.wait(lock, [this] { return impl_->stopped; });
}

void HttpServer::Impl::Send(const RouteSpec* route, const HttpResponse& response,
                            httplib::Response& res) {
  res.status = response.status;
  for (const auto& [name, value] : response.headers) res.set_header(name, value);
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  res.set_content(response.body, response.content_type);
}

void HttpServer::Impl::SendError(const RouteSpec* route, int status, std::string_view code,
                                 std::string_view message, httplib::Response& res) {
  HttpResponse error = route && route->error_formatter
                           ? route->error_formatter(status, code, message, "")
                           : JsonError(status, code, message);
  Send(route, error, res);
}

std::optional<Principal> HttpServer::Impl::PartnerFromCertificate(const httplib::Request& req) {
  if (!req.ssl) return std::nullopt;
  SSL* ssl = const_cast<SSL*>(req.ssl);
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert) return std::nullopt;
  std::optional<Principal> found;
  if (SSL_get_verify_result(ssl) == X509_V_OK) {
    char cn[256] = {0};
    X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_length = 0;
    X509_digest(cert, EVP_sha256(), digest, &digest_length);
    char hex[EVP_MAX_MD_SIZE * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, digest_length);
    for (const PartnerConfig& partner : config.partners) {
      bool by_fingerprint = !partner.cert_sha256.empty() && Lower(partner.cert_sha256) == hex;
      bool by_name = !partner.cert_cn.empty() && partner.cert_cn == cn;
      if (by_fingerprint || by_name) {
        Principal principal;
        principal.authenticated = true;
        principal.user = partner.name;
        principal.role = Role::kPartner;
        principal.clearance = partner.clearance;
        principal.service = partner.service;
        principal.partner = partner.name;
        found = principal;
        break;
      }
    }
  }
  X509_free(cert);
  return found;
}

Result<Principal> HttpServer::Impl::Authenticate(const RouteSpec& route,
                                                 const httplib::Request& req, Database& db,
                                                 std::string* failure) {
  std::string authorization = req.get_header_value("Authorization");
  UserStore users(&db, *token_key);
  if (!authorization.empty()) {
    std::string scheme = Lower(authorization.substr(0, authorization.find(' ')));
    std::string credentials =
        authorization.find(' ') == std::string::npos
            ? std::string()
            : std::string(
                  Trim(std::string_view(authorization).substr(authorization.find(' ') + 1)));
    if (scheme == "bearer" && (route.auth & kAuthBearer)) {
      auto principal = users.Authenticate(credentials);
      if (!principal.ok()) *failure = principal.status().message();
      return principal;
    }
    if (scheme == "basic" && (route.auth & kAuthBasic)) {
      auto decoded = DecodeBase64(credentials);
      size_t colon = decoded ? decoded->find(':') : std::string::npos;
      if (colon == std::string::npos) {
        *failure = "malformed basic credentials";
        return Unauthenticated(*failure);
      }
      auto principal = users.Authenticate(decoded->substr(colon + 1));
      if (!principal.ok()) {
        *failure = principal.status().message();
        return principal;
      }
      if (principal->user != decoded->substr(0, colon)) {
        *failure = "basic user name does not own the token";
        return Unauthenticated(*failure);
      }
      return principal;
    }
    *failure = kUnsupportedScheme;
    return Unauthenticated(*failure);
  }
  if (route.auth & kAuthClientCert) {
    if (auto partner = PartnerFromCertificate(req)) return *partner;
  }
  // A browser session (the web UI) stands for a bearer token; a state-changing request must
  // also carry the session's CSRF token, which a page of another origin cannot read.
  std::string session_secret = SessionCookie(req.get_header_value("Cookie"));
  if (!session_secret.empty() && (route.auth & kAuthBearer)) {
    SessionStore sessions(&db, *token_key,
                          {config.session_idle_timeout_seconds, config.session_lifetime_seconds});
    auto session = sessions.Resume(session_secret);
    if (!session.ok()) {
      *failure = session.status().message();
      return session.status();
    }
    bool safe = req.method == "GET" || req.method == "HEAD";
    if (!safe && req.get_header_value("X-CSRF-Token") != session->csrf_token) {
      *failure = "missing or wrong CSRF token";
      return PermissionDenied("missing or wrong CSRF token");
    }
    return session->principal;
  }
  *failure = "no credentials";
  return Unauthenticated(*failure);
}

void HttpServer::Impl::AuditFailure(Database& db, const std::string& action,
                                    const std::string& target, const AuditDetail& detail,
                                    const httplib::Request& req) {
  // A flood of bad tokens must not become a flood of audit writes: beyond 10 a second they
  // go to the log only.
  if (!failure_audit_limiter->Allow("failures", nullptr)) {
    spdlog::warn("{} (not audited: rate) from {}", action, req.remote_addr);
    return;
  }
  AuditEvent event{"anonymous", "", "", action, target, "denied", detail};
  event.detail.emplace_back("remote_addr", req.remote_addr);
  auto written = AuditLog::AppendAlone(db, event);
  if (!written.ok()) spdlog::error("audit write failed: {}", written.status().message());
}

void HttpServer::Impl::AuditTokenUse(Database& db, const Principal& principal) {
  // Every sensitive action is audited with its token id; plain token use is recorded once a
  // minute per token so that the trail shows who was active without a write per request.
  std::string key =
      principal.token_id.empty() ? "partner:" + principal.partner : principal.token_id;
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(token_use_mutex);
    auto it = token_use_audited.find(key);
    if (it != token_use_audited.end() && now - it->second < std::chrono::minutes(1)) return;
    token_use_audited[key] = now;
  }
  AuditEvent event{principal.user,
                   std::string(RoleName(principal.role)),
                   principal.service,
                   principal.partner.empty() ? "token.use" : "partner.connect",
                   principal.user,
                   "ok",
                   {}};
  if (!principal.token_id.empty()) event.detail.emplace_back("token_id", principal.token_id);
  auto written = AuditLog::AppendAlone(db, event);
  if (!written.ok()) spdlog::error("audit write failed: {}", written.status().message());
}

httplib::Server::HandlerResponse HttpServer::Impl::PreRoute(const httplib::Request& req,
                                                            httplib::Response& res) {
  using HandlerResponse = httplib::Server::HandlerResponse;
  // The head is in: a long body, authentication or a busy store no longer counts as slow.
  if (guard) guard->HeadRead(CurrentConnection(req));
  t_pending.reset();
  t_route_pattern = nullptr;
  if (WorkerPool::OverloadedThread()) {
    res.set_header("Connection", "close");
    res.set_header("Retry-After", "1");
    SendError(nullptr, 503, "unavailable", "server busy: too many connections", res);
    return HandlerResponse::Handled;
  }
  // Static files (the web UI) are public and served by cpp-httplib's file handler.
  // A decoded path with a NUL or another control character names no file and no route
  // ("/ui/index.html%00.txt" must not serve index.html).
  if (std::any_of(req.path.begin(), req.path.end(),
                  [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
    // In the error format of the route the path would reach (a TAXII error under /taxii2).
    RouteMatch near = router.Resolve(req.method == "HEAD" ? "GET" : req.method, req.path);
    SendError(near.route, 404, "not_found", "no such endpoint", res);
    return HandlerResponse::Handled;
  }
  // HEAD is GET without the body (RFC 9110 9.3.2): the same route, the same checks and
  // headers; cpp-httplib leaves the body out.
  const bool head = req.method == "HEAD";
  const std::string method = head ? "GET" : req.method;
  if (!config.static_dir.empty() && method == "GET" && (req.path == "/" || req.path == "/ui")) {
    res.status = 302;
    res.set_header("Location", "/ui/");
    res.set_header("Content-Security-Policy", kUiContentSecurityPolicy);
    return HandlerResponse::Handled;
  }
  if (!config.static_dir.empty() && method == "GET" && req.path.rfind("/ui/", 0) == 0) {
    t_route_pattern = "/ui/*";
    return HandlerResponse::Unhandled;
  }
  RouteMatch match = router.Resolve(method, req.path);
  if (!match.route) {
    if (!match.allowed_methods.empty()) {
      std::string allow;
      for (const std::string& allowed : match.allowed_methods) {
        allow += (allow.empty() ? "" : ", ") + allowed + (allowed == "GET" ? ", HEAD" : "");
      }
      res.set_header("Allow", allow);
      SendError(nullptr, 405, "method_not_allowed",
                "method " + req.method + " is not allowed here; allowed: " + allow, res);
    } else {
      SendError(nullptr, 404, "not_found", "no such endpoint", res);
    }
    if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding")) {
      res.set_header("Connection", "close");
    }
    return HandlerResponse::Handled;
  }
  const RouteSpec& route = *match.route;
  t_route_pattern = route.pattern.c_str();
  size_t max_body = route.max_body ? route.max_body : config.limits.max_body_bytes;
  if (req.has_header("Content-Length")) {
    std::string length_text = req.get_header_value("Content-Length");
    bool numeric = !length_text.empty() && length_text.size() < 19 &&
                   length_text.find_first_not_of("0123456789") == std::string::npos;
    if (!numeric || std::stoull(length_text) > max_body) {
      res.set_header("Connection", "close");
      SendError(&route, numeric ? 413 : 400, numeric ? "payload_too_large" : "invalid_argument",
                numeric ? "request body larger than " + std::to_string(max_body) + " bytes"
                        : "bad Content-Length",
                res);
      return HandlerResponse::Handled;
    }
  }
  Pending pending;
  pending.route = &route;
  pending.params = std::move(match.params);
  auto lease = pool->Acquire();
  if (!lease.ok()) {
    spdlog::error("store unavailable: {}", lease.status().message());
    res.set_header("Connection", "close");
    SendError(&route, 503, "unavailable", "store unavailable", res);
    return HandlerResponse::Handled;
  }
  pending.lease = std::move(lease).value();
  if (route.permission != Permission::kPublic) {
    const std::string claimed = ClaimedIdentity(req);
    int wait = std::max(address_throttle.RetryAfter(req.remote_addr),
                        claimed.empty() ? 0 : user_throttle.RetryAfter(claimed));
    if (wait > 0) {
      res.set_header("Retry-After", std::to_string(wait));
      if (req.has_header("Content-Length")) res.set_header("Connection", "close");
      SendError(&route, 429, "rate_limited",
                "too many failed sign-ins from this address or for this user; retry later", res);
      return HandlerResponse::Handled;
    }
    std::string failure;
    auto principal = Authenticate(route, req, pending.lease->db(), &failure);
    if (!principal.ok() && (principal.status().code() == StatusCode::kUnavailable ||
                            principal.status().code() == StatusCode::kIOError)) {
      // The store failed (PostgreSQL restarting, SQLite busy): not the client's fault, and not
      // a failed sign-in to count against it.
      spdlog::error("authentication: {}", principal.status().message());
      res.set_header("Connection", "close");
      SendError(&route, 503, "unavailable", "store unavailable", res);
      return HandlerResponse::Handled;
    }
    if (!principal.ok() && principal.status().code() == StatusCode::kPermissionDenied) {
      AuditFailure(pending.lease->db(), "auth.csrf", route.pattern, {{"reason", failure}}, req);
      if (req.has_header("Content-Length")) res.set_header("Connection", "close");
      SendError(&route, 403, "permission_denied", principal.status().message(), res);
      return HandlerResponse::Handled;
    }
    if (!principal.ok()) {
      // A request without credentials is not a guess; a wrong or unknown one is.
      bool guessed = (req.has_header("Authorization") ||
                      !SessionCookie(req.get_header_value("Cookie")).empty()) &&
                     failure != kUnsupportedScheme;
      int locked = !guessed ? 0
                            : std::max(address_throttle.Failure(req.remote_addr),
                                       claimed.empty() ? 0 : user_throttle.Failure(claimed));
      if (locked > 0) {
        AuditFailure(pending.lease->db(), "auth.lockout", route.pattern,
                     {{"seconds", std::to_string(locked)}, {"claimed", claimed}}, req);
      }
      AuditFailure(pending.lease->db(), "auth.failure", route.pattern, {{"reason", failure}}, req);
      res.set_header("WWW-Authenticate", "Bearer realm=\"entente\"");
      if (req.has_header("Content-Length")) res.set_header("Connection", "close");
      SendError(&route, 401, "unauthenticated", "missing, invalid, expired or revoked credentials",
                res);
      return HandlerResponse::Handled;
    }
    pending.principal = std::move(principal).value();
    if (!claimed.empty()) user_throttle.Success(claimed);
    if (!RoleHasPermission(pending.principal.role, route.permission)) {
      AuditEvent event{pending.principal.user,
                       std::string(RoleName(pending.principal.role)),
                       pending.principal.service,
                       "access.denied",
                       route.method + " " + route.pattern,
                       "denied",
                       {{"permission", std::string(PermissionName(route.permission))}}};
      auto written = AuditLog::AppendAlone(pending.lease->db(), event);
      if (!written.ok()) spdlog::error("audit write failed: {}", written.status().message());
      if (req.has_header("Content-Length")) res.set_header("Connection", "close");
      SendError(&route, 403, "permission_denied",
                "role " + std::string(RoleName(pending.principal.role)) + " may not " +
                    std::string(PermissionName(route.permission)),
                res);
      return HandlerResponse::Handled;
    }
    if (route.rate_limited) {
      int retry_after = 1;
      std::string key =
          pending.principal.token_id.empty() ? pending.principal.user : pending.principal.token_id;
      if (!rate_limiter->Allow(key, &retry_after)) {
        res.set_header("Retry-After", std::to_string(retry_after));
        if (req.has_header("Content-Length")) res.set_header("Connection", "close");
        SendError(&route, 429, "rate_limited", "too many requests; retry later", res);
        return HandlerResponse::Handled;
      }
    }
    AuditTokenUse(pending.lease->db(), pending.principal);
  }
  t_pending = std::move(pending);
  return HandlerResponse::Unhandled;
}

void HttpServer::Impl::Handle(const httplib::Request& req, httplib::Response& res) {
  if (guard) {
    guard->RequestStarted(CurrentConnection(req));
  }
  if (!t_pending || !t_pending->route) {
    // Only a /ui/ path whose file does not exist gets here.
    SendError(nullptr, 404, "not_found", "no such file", res);
    return;
  }
  Pending pending = std::move(*t_pending);
  t_pending.reset();
  const RouteSpec& route = *pending.route;
  size_t max_body = route.max_body ? route.max_body : config.limits.max_body_bytes;
  if (req.body.size() > max_body) {
    res.set_header("Connection", "close");
    SendError(&route, 413, "payload_too_large",
              "request body larger than " + std::to_string(max_body) + " bytes", res);
    return;
  }
  HttpRequest request;
  request.method = req.method;
  request.path = req.path;
  request.path_params = std::move(pending.params);
  for (const auto& [name, value] : req.params) request.query.emplace(name, value);
  for (const auto& [name, value] : req.headers) {
    std::string lower = Lower(name);
    if (lower == "authorization") continue;  // handlers never need the secret
    request.headers.emplace(std::move(lower), value);
  }
  request.body = req.body;
  request.remote_addr = req.remote_addr;
  ScopedStore records(&pending.lease->store(), pending.principal);
  RequestContext ctx{request, pending.principal, pending.lease->db(),
                     records, services,          config.service};
  HttpResponse response;
  try {
    response = route.handler(ctx);
  } catch (const std::exception& error) {
    spdlog::error("handler {} {} threw: {}", route.method, route.pattern, error.what());
    response = JsonError(500, "internal", "internal error; see the server log");
  }
  if (pending.lease->db().InTransaction()) {
    spdlog::error("handler {} {} left a transaction open; rolled back", route.method,
                  route.pattern);
    (void)pending.lease->db().Rollback();
  }
  Send(&route, response, res);
}

}  // namespace entente::server
