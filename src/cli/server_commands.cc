// Commands of src/server: serve, users (add/list/revoke/token), audit (verify/show), pki.
// Owned by the server subsystem.
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "api/builtin_routes.h"
#include "api/mount_all.h"
#include "audit/audit_anchor.h"
#include "audit/audit_log.h"
#include "auth/session_store.h"
#include "auth/user_store.h"
#include "cli/cli_context.h"
#include "exchange/sync_scheduler.h"
#include "http/server_config.h"
#include "screen/chunk_worker.h"
#include "server/audit_anchorer.h"
#include "server/http_server.h"
#include "server/pki.h"

namespace entente::cli {
namespace {

using server::AuditActor;

Result<server::TokenKey> LoadKey(const CliContext& ctx, const std::string& key_file) {
  return server::TokenKey::LoadOrCreate(
      key_file.empty() ? server::DefaultTokenKeyPath(ctx.db_target) : key_file);
}

struct ServeOptions {
  std::string config_file;
  std::string listen;
  bool http = false;
  std::string tls_cert;
  std::string tls_key;
  std::string client_ca;
  std::string service;
  std::string log_level;
  int sync_interval = -1;  // -1: from the config file (default 0, no scheduled pulls)
  bool no_worker = false;  // no screening worker thread (chunks of any job, chunk_worker.h)
};

int RunServe(CliContext& ctx, const ServeOptions& options, bool db_flag_given) {
  server::ServerConfig config;
  config.db_target = ctx.db_target;
  config.service = ctx.service;
  if (!options.config_file.empty()) {
    auto loaded = server::LoadServerConfig(options.config_file, config);
    if (!loaded.ok()) return ReportError(loaded.status());
    config = std::move(loaded).value();
    if (db_flag_given) config.db_target = ctx.db_target;
  }
  if (!options.listen.empty()) {
    Status parsed = server::ParseListen(options.listen, &config.host, &config.port);
    if (!parsed.ok()) return ReportError(parsed);
  }
  if (options.http) config.plain_http = true;
  if (!options.tls_cert.empty()) config.tls_cert = options.tls_cert;
  if (!options.tls_key.empty()) config.tls_key = options.tls_key;
  if (!options.client_ca.empty()) config.client_ca = options.client_ca;
  if (!options.service.empty()) config.service = options.service;
  if (!options.log_level.empty()) config.log_level = options.log_level;
  if (options.sync_interval >= 0) config.sync_interval_seconds = options.sync_interval;
  // Logs are JSON lines on stderr; stdout carries only what the command prints for its caller.
  auto logger = spdlog::get("entente-serve");
  if (!logger) logger = spdlog::stderr_color_mt("entente-serve");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  spdlog::set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%v"})",
                      spdlog::pattern_time_type::utc);
  // SIGTERM/SIGINT are taken by sigwait below, in this thread only: block them before any
  // server thread starts so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  server::HttpServer server(config);
  Status started = server.Start();
  if (!started.ok()) return ReportError(started);
  // Scheduled pulls from the partners whose agreements name a url (issue 6): on their own
  // thread and store connection, so a slow partner never holds up a request.
  std::unique_ptr<exchange::SyncScheduler> scheduler;
  if (config.sync_interval_seconds > 0) {
    scheduler = std::make_unique<exchange::SyncScheduler>(
        config.db_target, config.service, std::chrono::seconds(config.sync_interval_seconds),
        [](const std::string& partner, const Result<exchange::SyncReport>& result) {
          if (!result.ok()) {
            spdlog::warn("scheduled sync with {} failed: {}", partner, result.status().message());
            return;
          }
          spdlog::info(
              "scheduled sync with {}: {} objects, {} new, {} updated, {} revoked, {} rejected",
              partner, result->objects, result->created, result->updated, result->revoked,
              result->rejected);
        });
    scheduler->Start();
    spdlog::info("scheduled partner sync every {} s", config.sync_interval_seconds);
  }
  // A screening worker: takes chunks of the store's running jobs, whichever server or CLI run
  // started them, on its own thread and connection.
  screen::WorkerThread worker;
  if (!options.no_worker && config.screening_worker) {
    screen::WorkerOptions work;
    work.log = [](const std::string& line) { spdlog::info("{}", line); };
    worker.Start(config.db_target, work);
  }
  std::printf("entente serving on %s\n", server.url().c_str());
  std::fflush(stdout);
  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("signal {} received", received);
  if (scheduler) scheduler->Stop();  // a pull in progress finishes its page, then stops
  worker.Stop();                     // after the chunk in progress
  server.Stop();
  return 0;
}

void RegisterServe(CLI::App& app, CliContext& ctx) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* serve = app.add_subcommand(
      "serve", "Run the HTTPS API server (prints its address when ready; SIGTERM stops it)");
  serve->add_option("--config", options->config_file, "TOML config file (see docs/API.md)")
      ->check(CLI::ExistingFile);
  serve->add_option("--listen", options->listen,
                    "HOST:PORT to listen on (default 127.0.0.1:8443; port 0: any free)");
  serve->add_flag("--http", options->http,
                  "Plain HTTP instead of HTTPS (behind a TLS proxy, or tests)");
  serve->add_option("--tls-cert", options->tls_cert, "PEM certificate chain")
      ->check(CLI::ExistingFile);
  serve->add_option("--tls-key", options->tls_key, "PEM private key")->check(CLI::ExistingFile);
  serve
      ->add_option("--client-ca", options->client_ca,
                   "CA whose client certificates identify partners (mutual TLS)")
      ->check(CLI::ExistingFile);
  serve->add_option("--log-level", options->log_level, "trace, debug, info (default), warn, error");
  serve
      ->add_option("--sync-interval", options->sync_interval,
                   "Pull from every partner with a url in its agreement every N seconds "
                   "(0: never; default: [sync] interval_seconds of --config, else 0)")
      ->check(CLI::NonNegativeNumber);
  serve->add_flag("--no-worker", options->no_worker,
                  "Do not take chunks of screening jobs here (leave them to entente worker)");
  serve->callback([&ctx, options, &app] {
    bool db_flag_given = app.count("--db") > 0;
    ctx.exit_code = RunServe(ctx, *options, db_flag_given);
  });
}

// The store's users, tokens, passwords and sessions, migrated, with the token key.
struct OpenedUsers {
  std::unique_ptr<Database> db;
  server::TokenKey key;
  server::UserStore store;
};

Result<OpenedUsers> OpenUsers(CliContext& ctx, const std::string& key_file) {
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, ctx.OpenDatabase());
  ENTENTE_RETURN_IF_ERROR(server::SessionStore::Migrate(*db));
  ENTENTE_ASSIGN_OR_RETURN(server::TokenKey key, LoadKey(ctx, key_file));
  Database* raw = db.get();
  return OpenedUsers{std::move(db), key, server::UserStore(raw, key)};
}

// Reads one line from stdin (the password), without its line end.
Result<std::string> ReadPasswordLine() {
  std::string password;
  if (!std::getline(std::cin, password)) {
    return InvalidArgument("--password-stdin: no password on standard input");
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

// Sets `name`'s password from stdin, for sign-in to the web UI.
int RunUsersPasswd(CliContext& ctx, const std::string& name, const std::string& key_file) {
  auto password = ReadPasswordLine();
  if (!password.ok()) return ReportError(password.status());
  auto users = OpenUsers(ctx, key_file);
  if (!users.ok()) return ReportError(users.status());
  server::SessionStore sessions(users->db.get(), users->key);
  Status set = sessions.SetPassword(ctx.LocalActor(), name, *password);
  if (!set.ok()) return ReportError(set);
  std::printf("password of %s set; it can sign in to the web UI\n", name.c_str());
  return 0;
}

int RunUsersAdd(CliContext& ctx, const std::string& name, const std::string& role_text,
                const std::string& clearance_text, const std::string& user_service,
                const std::string& expires, const std::string& key_file) {
  auto role = server::ParseRole(role_text);
  if (!role)
    return ReportError(
        InvalidArgument("--role: analyst, screening-officer, liaison, admin, auditor or partner"));
  auto clearance = ParseTlp(clearance_text);
  if (!clearance)
    return ReportError(InvalidArgument("--clearance: CLEAR, GREEN, AMBER, AMBER+STRICT or RED"));
  auto users = OpenUsers(ctx, key_file);
  if (!users.ok()) return ReportError(users.status());
  server::NewUser user{name, *role, *clearance, user_service.empty() ? ctx.service : user_service,
                       expires};
  auto made = users->store.AddUser(ctx.LocalActor(), user);
  if (!made.ok()) return ReportError(made.status());
  std::printf("user %s added: role %s, clearance %s, service %s%s\n", name.c_str(),
              role_text.c_str(), std::string(TlpName(*clearance)).c_str(), user.service.c_str(),
              made->info.expires.empty() ? "" : (", token expires " + made->info.expires).c_str());
  std::printf("token id %s; the token is shown once, below:\n", made->info.token_id.c_str());
  std::printf("%s\n", made->token.c_str());
  return 0;
}

int RunUsersAddWithPassword(CliContext& ctx, const std::string& name, const std::string& role_text,
                            const std::string& clearance_text, const std::string& user_service,
                            const std::string& expires, const std::string& key_file,
                            bool password_stdin) {
  int added = RunUsersAdd(ctx, name, role_text, clearance_text, user_service, expires, key_file);
  if (added != 0 || !password_stdin) return added;
  return RunUsersPasswd(ctx, name, key_file);
}

void RegisterUsers(CLI::App& app, CliContext& ctx) {
  CLI::App* users = app.add_subcommand("users", "Manage API users and tokens");
  users->require_subcommand(1);
  auto key_file = std::make_shared<std::string>();
  users->add_option("--token-key", *key_file, "Token hash key file (default <db>.token-key)");

  auto add =
      users->add_subcommand("add", "Add a user; prints their token once, alone on the last line");
  auto name = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>();
  auto clearance = std::make_shared<std::string>("GREEN");
  auto user_service = std::make_shared<std::string>();
  auto expires = std::make_shared<std::string>();
  add->add_option("name", *name, "User name ([a-z0-9._@-])")->required();
  add->add_option("--role", *role, "analyst|screening-officer|liaison|admin|auditor|partner")
      ->required();
  add->add_option("--clearance", *clearance, "CLEAR|GREEN|AMBER|AMBER+STRICT|RED (default GREEN)");
  add->add_option("--user-service", *user_service, "The user's service (default: --service)");
  add->add_option("--expires", *expires, "Token expiry: RFC 3339 time or 30d / 12h / 90m");
  auto password_stdin = std::make_shared<bool>(false);
  add->add_flag("--password-stdin", *password_stdin,
                "Also set a password for the web UI, read as one line from standard input");
  add->callback([&ctx, name, role, clearance, user_service, expires, key_file, password_stdin] {
    ctx.exit_code = RunUsersAddWithPassword(ctx, *name, *role, *clearance, *user_service, *expires,
                                            *key_file, *password_stdin);
  });

  auto passwd = users->add_subcommand(
      "passwd", "Set a user's web UI password (Argon2id), read as one line from standard input");
  auto passwd_name = std::make_shared<std::string>();
  passwd->add_option("name", *passwd_name, "User name")->required();
  auto passwd_stdin = std::make_shared<bool>(true);
  passwd->add_flag("--password-stdin", *passwd_stdin,
                   "Read the password from standard input (the only way; may be omitted)");
  passwd->callback([&ctx, passwd_name, key_file] {
    ctx.exit_code = RunUsersPasswd(ctx, *passwd_name, *key_file);
  });

  auto list = users->add_subcommand("list", "List users");
  list->callback([&ctx, key_file] {
    auto users = OpenUsers(ctx, *key_file);
    if (!users.ok()) {
      ctx.exit_code = ReportError(users.status());
      return;
    }
    server::UserStore& store = users->store;
    auto all = store.ListUsers();
    if (!all.ok()) {
      ctx.exit_code = ReportError(all.status());
      return;
    }
    std::printf("%-24s %-18s %-13s %-14s %-8s %s\n", "name", "role", "clearance", "service",
                "tokens", "status");
    for (const auto& user : *all) {
      std::printf("%-24s %-18s %-13s %-14s %-8lld %s\n", user.name.c_str(),
                  std::string(server::RoleName(user.role)).c_str(),
                  std::string(TlpName(user.clearance)).c_str(), user.service.c_str(),
                  static_cast<long long>(user.active_tokens),
                  user.revoked.empty() ? "active" : ("revoked " + user.revoked).c_str());
    }
  });

  auto revoke =
      users->add_subcommand("revoke", "Revoke a user (all tokens) or, with --token, one token");
  auto target = std::make_shared<std::string>();
  auto is_token = std::make_shared<bool>(false);
  revoke->add_option("name", *target, "User name, or token id with --token")->required();
  revoke->add_flag("--token", *is_token, "NAME is a token id");
  revoke->callback([&ctx, target, is_token, key_file] {
    auto users = OpenUsers(ctx, *key_file);
    if (!users.ok()) {
      ctx.exit_code = ReportError(users.status());
      return;
    }
    server::UserStore& store = users->store;
    Status revoked = *is_token ? store.RevokeToken(ctx.LocalActor(), *target)
                               : store.RevokeUser(ctx.LocalActor(), *target);
    if (!revoked.ok()) {
      ctx.exit_code = ReportError(revoked);
      return;
    }
    std::printf("%s %s revoked\n", *is_token ? "token" : "user", target->c_str());
  });

  auto token = users->add_subcommand(
      "token", "Issue another token to a user; printed once, on the last line");
  auto token_user = std::make_shared<std::string>();
  auto token_expires = std::make_shared<std::string>();
  token->add_option("name", *token_user, "User name")->required();
  token->add_option("--expires", *token_expires, "RFC 3339 time or 30d / 12h / 90m");
  token->callback([&ctx, token_user, token_expires, key_file] {
    auto users = OpenUsers(ctx, *key_file);
    if (!users.ok()) {
      ctx.exit_code = ReportError(users.status());
      return;
    }
    server::UserStore& store = users->store;
    auto made = store.IssueToken(ctx.LocalActor(), *token_user, *token_expires);
    if (!made.ok()) {
      ctx.exit_code = ReportError(made.status());
      return;
    }
    std::printf("token id %s for %s; the token is shown once, below:\n",
                made->info.token_id.c_str(), token_user->c_str());
    std::printf("%s\n", made->token.c_str());
  });
}

void RegisterAudit(CLI::App& app, CliContext& ctx) {
  CLI::App* audit = app.add_subcommand("audit", "Read and verify the audit trail");
  audit->require_subcommand(1);
  auto verify = audit->add_subcommand(
      "verify", "Check the hash chain; names the first bad entry (exit 6 when tampered)");
  auto expect_head = std::make_shared<std::string>();
  auto anchors_file = std::make_shared<std::string>();

  verify->add_option(
      "--expect-head", *expect_head,
      "A head hash recorded earlier: fails unless the chain still contains it at the same position "
      "(SEQ:HASH)");
  verify->add_option("--anchors", *anchors_file,
                     "The signed anchors file (default <db>.audit-anchors)");
  verify->callback([&ctx, expect_head, anchors_file] {
    auto db = ctx.OpenDatabase();
    if (!db.ok()) {
      ctx.exit_code = ReportError(db.status());
      return;
    }
    Status migrated = server::AuditLog::Migrate(**db);
    if (!migrated.ok()) {
      ctx.exit_code = ReportError(migrated);
      return;
    }
    auto report = server::AuditLog::Verify(**db);
    if (!report.ok()) {
      ctx.exit_code = ReportError(report.status());
      return;
    }
    if (!report->ok) {
      std::printf("audit trail TAMPERED: entry %lld: %s\n",
                  static_cast<long long>(report->first_bad_seq), report->problem.c_str());
      ctx.exit_code = 6;
      return;
    }
    if (!expect_head->empty()) {
      size_t colon = expect_head->find(':');
      std::string seq_text = colon == std::string::npos ? "" : expect_head->substr(0, colon);
      bool numeric = !seq_text.empty() && seq_text.size() < 18 &&
                     seq_text.find_first_not_of("0123456789") == std::string::npos;
      if (!numeric) {
        ctx.exit_code = ReportError(InvalidArgument("--expect-head: expected SEQ:HASH"));
        return;
      }
      auto entries = server::AuditLog::Read(**db, {std::stoll(seq_text) - 1, "", "", "", 1});
      if (!entries.ok()) {
        ctx.exit_code = ReportError(entries.status());
        return;
      }
      if (entries->empty() || entries->front().seq != std::stoll(seq_text) ||
          entries->front().hash != expect_head->substr(colon + 1)) {
        std::printf(
            "audit trail TAMPERED: entry %s no longer has the recorded hash (the chain was "
            "rewritten or cut)\n",
            seq_text.c_str());
        ctx.exit_code = 6;
        return;
      }
    }
    // The signed anchors kept apart from the trail catch a trail cut short or wiped.
    std::string anchors_path =
        anchors_file->empty() ? server::DefaultAnchorPath(ctx.db_target) : *anchors_file;
    auto anchors = server::ReadAnchors(anchors_path);
    if (!anchors.ok()) {
      ctx.exit_code = ReportError(anchors.status());
      return;
    }
    Database& store = **db;
    auto anchored = server::CheckAnchors(store, *anchors, [&store](const server::AuditAnchor& a) {
      return server::VerifyAnchorWithNodeKey(store, a);
    });
    if (!anchored.ok()) {
      ctx.exit_code = ReportError(anchored.status());
      return;
    }
    if (!anchored->empty()) {
      std::printf("audit trail TAMPERED: %s (anchors: %s)\n", anchored->c_str(),
                  anchors_path.c_str());
      ctx.exit_code = 6;
      return;
    }
    std::printf("audit trail OK: %lld entries; head %lld:%s; %zu signed anchor(s) hold\n",
                static_cast<long long>(report->entries), static_cast<long long>(report->head_seq),
                report->head_hash.c_str(), anchors->size());
  });

  auto anchor = audit->add_subcommand(
      "anchor", "Sign the trail's head with the node key and append it to the anchors file");
  anchor->add_option("--anchors", *anchors_file,
                     "The signed anchors file (default <db>.audit-anchors)");
  anchor->callback([&ctx, anchors_file] {
    auto db = ctx.OpenDatabase();
    if (!db.ok()) {
      ctx.exit_code = ReportError(db.status());
      return;
    }
    if (!ctx.Check(server::AuditLog::Migrate(**db))) return;
    std::string anchors_path =
        anchors_file->empty() ? server::DefaultAnchorPath(ctx.db_target) : *anchors_file;
    int64_t last = 0;
    if (auto existing = server::ReadAnchors(anchors_path); existing.ok() && !existing->empty()) {
      last = existing->back().seq;
    }
    if (!ctx.Check(server::AnchorAuditHead(**db, anchors_path, &last))) return;
    std::printf("audit head %lld anchored in %s\n", static_cast<long long>(last),
                anchors_path.c_str());
  });

  auto show = audit->add_subcommand("show", "Print audit entries as JSON lines, oldest first");
  auto since = std::make_shared<std::string>();
  auto after = std::make_shared<int64_t>(0);
  auto limit = std::make_shared<int64_t>(1000);
  auto actor = std::make_shared<std::string>();
  auto action = std::make_shared<std::string>();
  show->add_option("--since", *since, "Only entries at or after this RFC 3339 time");
  show->add_option("--after", *after, "Only entries after this sequence number");
  show->add_option("--limit", *limit, "At most this many (default 1000)");
  show->add_option("--actor", *actor, "Only this actor");
  show->add_option("--action", *action, "Only this action");
  show->callback([&ctx, since, after, limit, actor, action] {
    auto db = ctx.OpenDatabase();
    if (!db.ok()) {
      ctx.exit_code = ReportError(db.status());
      return;
    }
    Status migrated = server::AuditLog::Migrate(**db);
    if (!migrated.ok()) {
      ctx.exit_code = ReportError(migrated);
      return;
    }
    auto entries = server::AuditLog::Read(**db, {*after, *since, *actor, *action, *limit});
    if (!entries.ok()) {
      ctx.exit_code = ReportError(entries.status());
      return;
    }
    for (const auto& entry : *entries) {
      nlohmann::json line = {{"seq", entry.seq},
                             {"at", entry.at},
                             {"actor", entry.actor},
                             {"role", entry.role},
                             {"service", entry.service},
                             {"action", entry.action},
                             {"target", entry.target},
                             {"outcome", entry.outcome},
                             {"detail", nlohmann::json::parse(entry.detail_json, nullptr, false)},
                             {"hash", entry.hash}};
      std::printf("%s\n",
                  line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    }
  });
}

void RegisterPki(CLI::App& app, CliContext& ctx) {
  CLI::App* pki =
      app.add_subcommand("pki", "Create a CA and server/client certificates (mutual TLS)");
  pki->require_subcommand(1);
  auto dir = std::make_shared<std::string>("pki");
  pki->add_option("--dir", *dir, "Folder of the CA and certificates (default ./pki)");

  auto init = pki->add_subcommand(
      "init", "Create the CA (ca.crt, ca.key) and a server certificate for localhost");
  auto ca_name = std::make_shared<std::string>();
  init->add_option("--name", *ca_name, "CA common name (default \"entente CA <service>\")");
  init->callback([&ctx, dir, ca_name] {
    std::string name = ca_name->empty() ? "entente CA " + ctx.service : *ca_name;
    Status made = server::CreateCa(*dir, name);
    if (made.ok()) {
      server::CertificateRequest request{
          "localhost", server::CertificateKind::kServer, {"localhost"}, {"127.0.0.1", "::1"}, 825};
      made = server::IssueCertificate(*dir, "server", request);
    }
    if (!made.ok()) {
      ctx.exit_code = ReportError(made);
      return;
    }
    std::printf("CA %s/ca.crt and server certificate %s/server.crt (localhost, 127.0.0.1, ::1)\n",
                dir->c_str(), dir->c_str());
    std::printf(
        "serve with: entente serve --tls-cert %s/server.crt --tls-key %s/server.key --client-ca "
        "%s/ca.crt\n",
        dir->c_str(), dir->c_str(), dir->c_str());
  });

  auto server_cmd = pki->add_subcommand("server", "Issue a server certificate");
  auto host = std::make_shared<std::string>();
  auto dns = std::make_shared<std::vector<std::string>>();
  auto ips = std::make_shared<std::vector<std::string>>();
  server_cmd
      ->add_option("name", *host,
                   "Host name (the certificate's CN and first DNS name; the file stem)")
      ->required();
  server_cmd->add_option("--dns", *dns, "More DNS names");
  server_cmd->add_option("--ip", *ips, "IP addresses");
  server_cmd->callback([&ctx, dir, host, dns, ips] {
    server::CertificateRequest request{*host, server::CertificateKind::kServer, {*host}, *ips, 825};
    request.dns_names.insert(request.dns_names.end(), dns->begin(), dns->end());
    Status made = server::IssueCertificate(*dir, *host, request);
    if (!made.ok()) {
      ctx.exit_code = ReportError(made);
      return;
    }
    std::printf("server certificate %s/%s.crt\n", dir->c_str(), host->c_str());
  });

  auto client_cmd = pki->add_subcommand("client", "Issue a client certificate for a partner node");
  auto partner = std::make_shared<std::string>();
  client_cmd
      ->add_option("name", *partner, "Partner name (the certificate's CN; [[partners]] cert_cn)")
      ->required();
  client_cmd->callback([&ctx, dir, partner] {
    server::CertificateRequest request{*partner, server::CertificateKind::kClient, {}, {}, 825};
    Status made = server::IssueCertificate(*dir, *partner, request);
    if (!made.ok()) {
      ctx.exit_code = ReportError(made);
      return;
    }
    auto fingerprint = server::CertificateFingerprint(*dir + "/" + *partner + ".crt");
    std::printf("client certificate %s/%s.crt (CN %s, sha256 %s)\n", dir->c_str(), partner->c_str(),
                partner->c_str(), fingerprint.ok() ? fingerprint->c_str() : "?");
  });
}

}  // namespace

// `entente openapi`: the OpenAPI document `entente serve` answers at /api/v1/openapi.json,
// without a store or a server (web/openapi.json is written from it: scripts/update_openapi.sh).
static void RegisterOpenApi(CLI::App& app, CliContext& ctx) {
  CLI::App* command = app.add_subcommand(
      "openapi", "Print the server's OpenAPI document (the one served at /api/v1/openapi.json)");
  command->callback([&ctx] {
    server::Router router;
    server::ServerConfig config;
    server::TokenKey key = server::TokenKey::FromBytes({});
    server::BuiltinDeps deps;
    deps.router = &router;
    deps.config = &config;
    deps.token_key = &key;
    Status mounted = server::MountAllRoutes(router, deps);
    if (!mounted.ok()) {
      std::cerr << "entente openapi: " << mounted.ToString() << "\n";
      ctx.exit_code = 1;
      return;
    }
    std::cout << server::BuildOpenApiDocument(router, "/");
  });
}

void RegisterServerCommands(CLI::App& app, CliContext& ctx) {
  RegisterOpenApi(app, ctx);
  RegisterServe(app, ctx);
  RegisterUsers(app, ctx);
  RegisterAudit(app, ctx);
  RegisterPki(app, ctx);
}

}  // namespace entente::cli
