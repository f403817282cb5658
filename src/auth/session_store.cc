#include "auth/session_store.h"

#include <sodium.h>

#include <algorithm>
#include <vector>

#include "audit/audit_log.h"
#include "common/ids.h"
#include "common/time.h"
#include "store/migrations.h"

namespace entente::server {
namespace {

const std::vector<std::string> kMigrations = {
    R"sql(
CREATE TABLE server_passwords (
  user_name TEXT PRIMARY KEY REFERENCES server_users (name),
  hash TEXT NOT NULL,
  changed TEXT NOT NULL
);
CREATE TABLE server_sessions (
  secret_hash TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES server_users (name),
  csrf_token TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  last_seen_ms BIGINT NOT NULL,
  expires_ms BIGINT NOT NULL,
  revoked TEXT NOT NULL DEFAULT ''
);
CREATE INDEX server_sessions_user ON server_sessions (user_name);
)sql",
};

constexpr size_t kMinPassword = 12;
constexpr size_t kMaxPassword = 256;

// The principal of an active user, or Unauthenticated with the reason.
Result<Principal> ActiveUser(Database& db, const std::string& user) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("SELECT role, clearance, service, revoked FROM server_users WHERE name = ?",
               {user}));
  if (rows.empty()) return Unauthenticated("unknown user " + user);
  if (!rows[0].Text(3).empty()) return Unauthenticated("revoked user " + user);
  auto role = ParseRole(rows[0].Text(0));
  auto clearance = ParseTlp(rows[0].Text(1));
  if (!role || !clearance) return Corruption("user " + user + ": bad role or clearance");
  Principal principal;
  principal.authenticated = true;
  principal.user = user;
  principal.role = *role;
  principal.clearance = *clearance;
  principal.service = rows[0].Text(2);
  return principal;
}

AuditEvent SessionEvent(const Principal& who, const std::string& user, std::string action,
                        std::string outcome, AuditDetail detail) {
  return {who.authenticated ? who.user : user,
          who.authenticated ? std::string(RoleName(who.role)) : "",
          who.service,
          std::move(action),
          user,
          std::move(outcome),
          std::move(detail)};
}

}  // namespace

std::string SessionCookie(const std::string& cookie_header) {
  const std::string wanted = std::string(kSessionCookie) + "=";
  size_t pos = 0;
  while (pos < cookie_header.size()) {
    size_t end = cookie_header.find(';', pos);
    if (end == std::string::npos) end = cookie_header.size();
    size_t start = cookie_header.find_first_not_of(' ', pos);
    if (start != std::string::npos && start < end &&
        cookie_header.compare(start, wanted.size(), wanted) == 0) {
      return cookie_header.substr(start + wanted.size(), end - start - wanted.size());
    }
    pos = end + 1;
  }
  return "";
}

Status SessionStore::Migrate(Database& db) {
  ENTENTE_RETURN_IF_ERROR(UserStore::Migrate(db));
  return ApplyMigrations(db, "server_sessions", kMigrations);
}

Status SessionStore::SetPassword(const AuditActor& actor, const std::string& user,
                                 const std::string& password) {
  if (password.size() < kMinPassword) {
    return InvalidArgument("password: at least " + std::to_string(kMinPassword) + " characters");
  }
  if (password.size() > kMaxPassword) {
    return InvalidArgument("password: at most " + std::to_string(kMaxPassword) + " characters");
  }
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Internal("password hashing ran out of memory");
  }
  Transaction tx(db_);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_ASSIGN_OR_RETURN(auto found,
                           db_->Query("SELECT 1 FROM server_users WHERE name = ?", {user}));
  if (found.empty()) return NotFound("no user " + user);
  ENTENTE_RETURN_IF_ERROR(db_->Execute("DELETE FROM server_passwords WHERE user_name = ?", {user}));
  ENTENTE_RETURN_IF_ERROR(
      db_->Execute("INSERT INTO server_passwords (user_name, hash, changed) VALUES (?, ?, ?)",
                   {user, std::string(hash), NowTimestamp()}));
  // A new password ends the user's open sessions.
  ENTENTE_RETURN_IF_ERROR(
      db_->Execute("UPDATE server_sessions SET revoked = ? WHERE user_name = ? AND revoked = ''",
                   {NowTimestamp(), user}));
  ENTENTE_RETURN_IF_ERROR(
      AuditLog::Append(*db_,
                       {actor.actor, actor.role, actor.service, "user.password", user, "ok", {}})
          .status());
  return tx.Commit();
}

Result<NewSession> SessionStore::SignIn(const std::string& user, const std::string& password,
                                        const std::string& remote_addr) {
  Principal nobody;
  auto refuse = [&](const std::string& reason) -> Status {
    auto audited = AuditLog::AppendAlone(
        *db_, SessionEvent(nobody, user, "session.create", "denied",
                           {{"reason", reason}, {"remote_addr", remote_addr}}));
    if (!audited.ok()) return audited.status();
    return Unauthenticated(reason);
  };
  if (password.empty() || password.size() > kMaxPassword) return refuse("bad password length");
  auto principal = ActiveUser(*db_, user);
  if (!principal.ok()) return refuse(principal.status().message());
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db_->Query("SELECT hash FROM server_passwords WHERE user_name = ?", {user}));
  if (rows.empty()) return refuse("user " + user + " has no password");
  std::string stored = rows[0].Text(0);
  if (crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) != 0) {
    return refuse("wrong password for " + user);
  }
  NewSession session;
  session.secret = "ses_" + RandomHex(32);
  session.csrf_token = RandomHex(16);
  session.principal = *principal;
  int64_t now = NowMillis();
  int64_t expires = now + limits_.lifetime_seconds * 1000;
  session.expires_at = FormatTimestamp(expires);
  Transaction tx(db_);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_RETURN_IF_ERROR(db_->Execute(
      "INSERT INTO server_sessions (secret_hash, user_name, csrf_token, created_ms, last_seen_ms, "
      "expires_ms) VALUES (?, ?, ?, ?, ?, ?)",
      {key_.Hash(session.secret), user, session.csrf_token, now, now, expires}));
  ENTENTE_RETURN_IF_ERROR(AuditLog::Append(*db_, SessionEvent(*principal, user, "session.create",
                                                              "ok", {{"remote_addr", remote_addr}}))
                              .status());
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  return session;
}

Result<SessionInfo> SessionStore::Resume(const std::string& secret) {
  if (secret.size() != 4 + 64 || secret.rfind("ses_", 0) != 0) {
    return Unauthenticated("malformed session");
  }
  std::string hash = key_.Hash(secret);
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db_->Query("SELECT user_name, csrf_token, last_seen_ms, expires_ms, revoked "
                            "FROM server_sessions WHERE secret_hash = ?",
                            {hash}));
  if (rows.empty()) return Unauthenticated("unknown session");
  const SqlRow& row = rows[0];
  int64_t now = NowMillis();
  if (!row.Text(4).empty()) return Unauthenticated("signed out");
  if (now >= row.Int(3)) return Unauthenticated("session past its lifetime");
  if (now - row.Int(2) > limits_.idle_timeout_seconds * 1000) {
    return Unauthenticated("session idle too long");
  }
  ENTENTE_ASSIGN_OR_RETURN(Principal principal, ActiveUser(*db_, row.Text(0)));
  // Touch at most once a minute: a page load is many requests.
  if (now - row.Int(2) > 60 * 1000) {
    ENTENTE_RETURN_IF_ERROR(db_->Execute(
        "UPDATE server_sessions SET last_seen_ms = ? WHERE secret_hash = ?", {now, hash}));
  }
  principal.token_id = "session:" + hash.substr(0, 16);
  return SessionInfo{row.Text(1), FormatTimestamp(row.Int(3)), principal};
}

Status SessionStore::SignOut(const std::string& secret) {
  ENTENTE_ASSIGN_OR_RETURN(SessionInfo session, Resume(secret));
  Transaction tx(db_);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_RETURN_IF_ERROR(
      db_->Execute("UPDATE server_sessions SET revoked = ? WHERE secret_hash = ?",
                   {NowTimestamp(), key_.Hash(secret)}));
  ENTENTE_RETURN_IF_ERROR(
      AuditLog::Append(
          *db_, SessionEvent(session.principal, session.principal.user, "session.revoke", "ok", {}))
          .status());
  return tx.Commit();
}

Result<std::vector<SessionRow>> SessionStore::ListOpen(const std::string& service) {
  const int64_t now = NowMillis();
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows,
      db_->Query("SELECT s.secret_hash, s.user_name, s.created_ms, s.last_seen_ms, s.expires_ms "
                 "FROM server_sessions s JOIN server_users u ON u.name = s.user_name "
                 "WHERE u.service = ? AND s.revoked = '' AND s.expires_ms > ? AND "
                 "s.last_seen_ms >= ? ORDER BY s.last_seen_ms DESC",
                 {service, now, now - limits_.idle_timeout_seconds * 1000}));
  std::vector<SessionRow> out;
  for (const SqlRow& row : rows) {
    out.push_back({row.Text(0).substr(0, 16), row.Text(1), FormatTimestamp(row.Int(2)),
                   FormatTimestamp(row.Int(3)), FormatTimestamp(row.Int(4))});
  }
  return out;
}

Status SessionStore::Revoke(const AuditActor& actor, const std::string& service,
                            const std::string& id) {
  if (id.size() != 16 || id.find_first_not_of("0123456789abcdef") != std::string::npos)
    return InvalidArgument("field id: 16 lower-case hex digits");
  ENTENTE_ASSIGN_OR_RETURN(std::vector<SessionRow> open, ListOpen(service));
  auto it =
      std::find_if(open.begin(), open.end(), [&](const SessionRow& row) { return row.id == id; });
  if (it == open.end()) return NotFound("no open session " + id);
  Transaction tx(db_);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_RETURN_IF_ERROR(db_->Execute(
      "UPDATE server_sessions SET revoked = ? WHERE substr(secret_hash, 1, 16) = ? AND "
      "user_name = ? AND revoked = ''",
      {NowTimestamp(), id, it->user}));
  ENTENTE_RETURN_IF_ERROR(AuditLog::Append(*db_, {actor.actor,
                                                  actor.role,
                                                  actor.service,
                                                  "session.revoke",
                                                  it->user,
                                                  "ok",
                                                  {{"session", id}}})
                              .status());
  return tx.Commit();
}

Status SessionStore::ChangePassword(const std::string& user, const std::string& old_password,
                                    const std::string& new_password) {
  ENTENTE_ASSIGN_OR_RETURN(Principal principal, ActiveUser(*db_, user));
  AuditActor actor{principal.user, std::string(RoleName(principal.role)), principal.service};
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db_->Query("SELECT hash FROM server_passwords WHERE user_name = ?", {user}));
  if (old_password.size() > kMaxPassword || rows.empty() ||
      crypto_pwhash_str_verify(rows[0].Text(0).c_str(), old_password.data(), old_password.size()) !=
          0) {
    ENTENTE_RETURN_IF_ERROR(AuditLog::AppendAlone(*db_, {actor.actor,
                                                         actor.role,
                                                         actor.service,
                                                         "user.password",
                                                         user,
                                                         "denied",
                                                         {{"reason", "wrong current password"}}})
                                .status());
    return Unauthenticated("field old_password: wrong current password");
  }
  return SetPassword(actor, user, new_password);
}

}  // namespace entente::server
