// Sign-in with a password and browser sessions, for the web UI (scripts and partners keep their
// API tokens, auth/user_store.h).
//
// Passwords are stored as Argon2id hashes (libsodium crypto_pwhash_str, its "interactive"
// limits): a stolen database does not give them away. A session is a random 256-bit secret
// handed to the browser in an HttpOnly cookie and stored only as a keyed hash (TokenKey), with
// a CSRF token the UI sends back on every state-changing request, an idle timeout and an
// absolute lifetime. Signing out revokes the session in the store, so a copied cookie dies
// with it. Sign-ins and sign-outs are audited in the transaction that records them.
//
// Thread-safety: one SessionStore per Database connection, used from one thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auth/principal.h"
#include "auth/user_store.h"
#include "common/status.h"
#include "store/database.h"

namespace entente::server {

// The cookie that carries a session, and its value in a Cookie header ("" when absent).
inline constexpr char kSessionCookie[] = "entente_session";
std::string SessionCookie(const std::string& cookie_header);

struct SessionLimits {
  int64_t idle_timeout_seconds = 30 * 60;   // a session unused this long ends
  int64_t lifetime_seconds = 12 * 60 * 60;  // and none lasts longer than this
};

struct NewSession {
  std::string secret;      // the cookie value: show once (Set-Cookie), never store or log
  std::string csrf_token;  // the UI sends it back in X-CSRF-Token
  std::string expires_at;  // RFC 3339: the absolute end
  Principal principal;
};

struct SessionInfo {
  std::string csrf_token;
  std::string expires_at;
  Principal principal;
};

// An open session as an administrator sees it: never its secret nor its CSRF token.
struct SessionRow {
  std::string id;  // the first 16 hex digits of the secret's keyed hash (stable, not a secret)
  std::string user;
  std::string created;    // RFC 3339
  std::string last_seen;  // RFC 3339 (touched at most once a minute)
  std::string expires_at;
};

class SessionStore {
 public:
  // REQUIRES: `db` outlives the store.
  SessionStore(Database* db, TokenKey key, SessionLimits limits = {})
      : db_(db), key_(key), limits_(limits) {}
  // Creates the tables (component "server_sessions"); runs UserStore::Migrate first.
  static Status Migrate(Database& db);

  // Sets (or replaces) a user's password. InvalidArgument when shorter than 12 characters or
  // longer than 256; NotFound when the user is absent. Audited ("user.password").
  Status SetPassword(const AuditActor& actor, const std::string& user, const std::string& password);

  // Checks a user name and password and opens a session. Unauthenticated (the reason, for the
  // audit trail: unknown user, no password, wrong password, revoked) otherwise. Audited
  // ("session.create", outcome ok or denied).
  Result<NewSession> SignIn(const std::string& user, const std::string& password,
                            const std::string& remote_addr);
  // The session a cookie value names, touched (its idle clock restarts). Unauthenticated when
  // unknown, expired (idle or absolute) or revoked.
  Result<SessionInfo> Resume(const std::string& secret);
  // Revokes the session. Audited ("session.revoke").
  Status SignOut(const std::string& secret);

  // The open sessions (not revoked, not past their lifetime or idle timeout) of the users of
  // `service`, most recently used first.
  Result<std::vector<SessionRow>> ListOpen(const std::string& service);
  // Revokes the open session `id` of a user of `service` (an administrator ends it). NotFound
  // "no open session ID" otherwise, whichever service it belongs to. Audited ("session.revoke").
  Status Revoke(const AuditActor& actor, const std::string& service, const std::string& id);
  // A user changes their own password: Unauthenticated when `old_password` is wrong (audited
  // "user.password" denied), else as SetPassword (which ends the user's open sessions).
  Status ChangePassword(const std::string& user, const std::string& old_password,
                        const std::string& new_password);

 private:
  Database* db_;
  TokenKey key_;
  SessionLimits limits_;
};

}  // namespace entente::server
