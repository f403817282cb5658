#include "auth/user_store.h"

#include <sodium.h>

#include <cstdlib>

#include "common/crash_point.h"
#include "common/ids.h"
#include "common/secret_file.h"
#include "common/time.h"
#include "store/migrations.h"
#include "store/store_target.h"

namespace entente::server {
namespace {

const std::vector<std::string> kMigrations = {
    R"sql(
CREATE TABLE server_users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  clearance TEXT NOT NULL,
  service TEXT NOT NULL,
  created TEXT NOT NULL,
  revoked TEXT NOT NULL DEFAULT ''
);
CREATE TABLE server_tokens (
  token_id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES server_users (name),
  secret_hash TEXT NOT NULL,
  created TEXT NOT NULL,
  expires TEXT NOT NULL DEFAULT '',
  revoked TEXT NOT NULL DEFAULT ''
);
CREATE INDEX server_tokens_user ON server_tokens (user_name);
)sql",
    // Tokens asked for another user, waiting for a second administrator (TokenRequest).
    R"sql(
CREATE TABLE server_token_requests (
  id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES server_users (name),
  requested_by TEXT NOT NULL,
  created TEXT NOT NULL,
  expires TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  decided_by TEXT NOT NULL DEFAULT '',
  decided TEXT NOT NULL DEFAULT ''
);
)sql",
};

constexpr std::string_view kTokenPrefix = "ent_";
constexpr size_t kTokenIdHex = 16;
constexpr size_t kSecretHex = 64;

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<UserInfo> UserFromRow(const SqlRow& row) {
  UserInfo info;
  info.name = row.Text(0);
  auto role = ParseRole(row.Text(1));
  auto clearance = ParseTlp(row.Text(2));
  if (!role || !clearance) return Corruption("user " + info.name + ": bad role or clearance");
  info.role = *role;
  info.clearance = *clearance;
  info.service = row.Text(3);
  info.created = row.Text(4);
  info.revoked = row.Text(5);
  return info;
}

}  // namespace

Result<TokenKey> TokenKey::LoadOrCreate(const std::string& path) {
  ENTENTE_ASSIGN_OR_RETURN(SecretBytes bytes, LoadOrCreateSecretFile(path, "token key"));
  return FromBytes(bytes);
}

TokenKey TokenKey::FromBytes(const std::array<unsigned char, kSize>& bytes) {
  TokenKey key;
  key.key_ = bytes;
  return key;
}

std::string TokenKey::Hash(std::string_view token) const {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), key_.data(), key_.size());
  char hex[sizeof out * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return std::string(hex);
}

std::string DefaultTokenKeyPath(const std::string& db_target) {
  const char* env = std::getenv("ENTENTE_TOKEN_KEY_FILE");
  if (IsPostgresTarget(db_target) && env && *env) return env;
  return StoreSidecarPath(db_target, ".token-key");
}

Status UserStore::Migrate(Database& db) {
  ENTENTE_RETURN_IF_ERROR(AuditLog::Migrate(db));
  return ApplyMigrations(db, "server_auth", kMigrations);
}

Status UserStore::ValidateUserName(const std::string& name) {
  if (name.empty() || name.size() > 64) {
    return InvalidArgument("field name: must be 1 to 64 characters");
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '@' || c == '-';
    if (!ok) {
      return InvalidArgument("field name: only lowercase letters, digits and . _ @ - are allowed");
    }
  }
  return Status::Ok();
}

Result<std::string> UserStore::ParseExpiry(const std::string& text) {
  if (text.empty()) return std::string();
  int64_t millis = 0;
  if (ParseTimestamp(text, &millis)) return FormatTimestamp(millis);
  char unit = text.back();
  std::string number = text.substr(0, text.size() - 1);
  int64_t unit_ms = unit == 'd' ? 86400000 : unit == 'h' ? 3600000 : unit == 'm' ? 60000 : 0;
  bool digits = !number.empty() && number.size() <= 6 &&
                number.find_first_not_of("0123456789") == std::string::npos;
  if (unit_ms == 0 || !digits) {
    return InvalidArgument("field expires: '" + text +
                           "' is neither an RFC 3339 time nor a duration like 30d, 12h, 90m");
  }
  return FormatTimestamp(NowMillis() + std::stoll(number) * unit_ms);
}

Result<NewToken> UserStore::InsertToken(const std::string& user, const std::string& expires) {
  NewToken made;
  made.info.token_id = RandomHex(kTokenIdHex / 2);
  std::string secret = RandomHex(kSecretHex / 2);
  made.token = std::string(kTokenPrefix) + made.info.token_id + "_" + secret;
  made.info.user = user;
  made.info.created = NowTimestamp();
  made.info.expires = expires;
  ENTENTE_RETURN_IF_ERROR(
      db_->Execute("INSERT INTO server_tokens (token_id, user_name, secret_hash, created, expires) "
                   "VALUES (?, ?, ?, ?, ?)",
                   {made.info.token_id, user, key_.Hash(made.token), made.info.created, expires}));
  return made;
}

Result<NewToken> UserStore::AddUser(const AuditActor& actor, const NewUser& user) {
  ENTENTE_RETURN_IF_ERROR(ValidateUserName(user.name));
  if (user.service.empty()) return InvalidArgument("field service: required");
  if (user.service.size() > 64) return InvalidArgument("field service: at most 64 characters");
  ENTENTE_ASSIGN_OR_RETURN(std::string expires, ParseExpiry(user.expires));
  Transaction tx(db_);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_ASSIGN_OR_RETURN(auto existing,
                           db_->Query("SELECT 1 FROM server_users WHERE name = ?", {user.name}));
  if (!existing.empty()) return Conflict("user " + user.name + " already exists");
  ENTENTE_RETURN_IF_ERROR(db_->Execute(
      "INSERT INTO server_users (name, role, clearance, service, created) VALUES (?, ?, ?, ?, ?)",
      {user.name, std::string(RoleName(user.role)), std::string(TlpName(user.clearance)),
       user.service, NowTimestamp()}));
  ENTENTE_ASSIGN_OR_RETURN(NewToken made, InsertToken(user.name, expires));
  ENTENTE_RETURN_IF_ERROR(
      AuditLog::Append(*db_, {actor.actor,
                              actor.role,
                              actor.service,
                              "user.add",
                              user.name,
                              "ok",
                              {{"role", std::string(RoleName(user.role))},
                               {"clearance", std::string(TlpName(user.clearance))},
                               {"service", user.service},
                               {"token_id", made.info.token_id},
                               {"expires", expires}}})
          .status());
  CrashPoint("users.add_before_commit");
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  return made;
}

Result<NewToken> UserStore::IssueToken(const AuditActor& actor, const std::string& user,
                                       const std::string& expires_text) {
  ENTENTE_ASSIGN_OR_RETURN(std::string expires, ParseExpiry(expires_text));
  Transaction tx(db_);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_ASSIGN_OR_RETURN(UserInfo info, GetUser(user));
  if (!info.revoked.empty()) return PermissionDenied("user " + user + " is revoked");
  ENTENTE_ASSIGN_OR_RETURN(NewToken made, InsertToken(user, expires));
  ENTENTE_RETURN_IF_ERROR(
      AuditLog::Append(*db_, {actor.actor,
                              actor.role,
                              actor.service,
                              "token.issue",
                              user,
                              "ok",
                              {{"token_id", made.info.token_id}, {"expires", expires}}})
          .status());
  CrashPoint("users.token_before_commit");
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  return made;
}

Status UserStore::RevokeUser(const AuditActor& actor, const std::string& user) {
  Transaction tx(db_);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_ASSIGN_OR_RETURN(UserInfo info, GetUser(user));
  std::string now = NowTimestamp();
  if (info.revoked.empty()) {
    ENTENTE_RETURN_IF_ERROR(
        db_->Execute("UPDATE server_users SET revoked = ? WHERE name = ?", {now, user}));
  }
  ENTENTE_RETURN_IF_ERROR(db_->Execute(
      "UPDATE server_tokens SET revoked = ? WHERE user_name = ? AND revoked = ''", {now, user}));
  ENTENTE_RETURN_IF_ERROR(
      AuditLog::Append(*db_,
                       {actor.actor, actor.role, actor.service, "user.revoke", user, "ok", {}})
          .status());
  CrashPoint("users.revoke_before_commit");
  return tx.Commit();
}

Status UserStore::RevokeToken(const AuditActor& actor, const std::string& token_id) {
  Transaction tx(db_);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db_->Query("SELECT user_name FROM server_tokens WHERE token_id = ?", {token_id}));
  if (rows.empty()) return NotFound("token " + token_id + " not found");
  ENTENTE_RETURN_IF_ERROR(
      db_->Execute("UPDATE server_tokens SET revoked = ? WHERE token_id = ? AND revoked = ''",
                   {NowTimestamp(), token_id}));
  ENTENTE_RETURN_IF_ERROR(AuditLog::Append(*db_, {actor.actor,
                                                  actor.role,
                                                  actor.service,
                                                  "token.revoke",
                                                  rows[0].Text(0),
                                                  "ok",
                                                  {{"token_id", token_id}}})
                              .status());
  return tx.Commit();
}

Result<std::string> UserStore::TokenOwner(const std::string& token_id) {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db_->Query("SELECT user_name FROM server_tokens WHERE token_id = ?", {token_id}));
  if (rows.empty()) return NotFound("token " + token_id + " not found");
  return rows[0].Text(0);
}

Result<std::vector<UserInfo>> UserStore::ListUsers() {
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows, db_->Query("SELECT u.name, u.role, u.clearance, u.service, u.created, u.revoked, "
                            "(SELECT COUNT(*) FROM server_tokens t WHERE t.user_name = u.name AND "
                            "t.revoked = '' AND (t.expires = '' OR t.expires > ?)) "
                            "FROM server_users u ORDER BY u.name",
                            {NowTimestamp()}));
  std::vector<UserInfo> users;
  for (const SqlRow& row : rows) {
    ENTENTE_ASSIGN_OR_RETURN(UserInfo info, UserFromRow(row));
    info.active_tokens = row.Int(6);
    users.push_back(std::move(info));
  }
  return users;
}

Result<UserInfo> UserStore::GetUser(const std::string& name) {
  ENTENTE_ASSIGN_OR_RETURN(auto rows,
                           db_->Query("SELECT name, role, clearance, service, created, revoked "
                                      "FROM server_users WHERE name = ?",
                                      {name}));
  if (rows.empty()) return NotFound("user " + name + " not found");
  return UserFromRow(rows[0]);
}

Result<std::vector<TokenInfo>> UserStore::ListTokens(const std::string& user) {
  ENTENTE_ASSIGN_OR_RETURN(auto rows,
                           db_->Query("SELECT token_id, user_name, created, expires, revoked "
                                      "FROM server_tokens WHERE user_name = ? ORDER BY created",
                                      {user}));
  std::vector<TokenInfo> tokens;
  for (const SqlRow& row : rows) {
    tokens.push_back({row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4)});
  }
  return tokens;
}

Result<Principal> UserStore::Authenticate(std::string_view token) {
  if (token.size() != kTokenPrefix.size() + kTokenIdHex + 1 + kSecretHex ||
      token.substr(0, kTokenPrefix.size()) != kTokenPrefix ||
      token[kTokenPrefix.size() + kTokenIdHex] != '_') {
    return Unauthenticated("malformed token");
  }
  std::string token_id(token.substr(kTokenPrefix.size(), kTokenIdHex));
  if (!IsLowerHex(token_id) || !IsLowerHex(token.substr(kTokenPrefix.size() + kTokenIdHex + 1))) {
    return Unauthenticated("malformed token");
  }
  ENTENTE_ASSIGN_OR_RETURN(
      auto rows,
      db_->Query("SELECT t.secret_hash, t.expires, t.revoked, u.name, u.role, u.clearance, "
                 "u.service, u.revoked FROM server_tokens t JOIN server_users u "
                 "ON u.name = t.user_name WHERE t.token_id = ?",
                 {token_id}));
  if (rows.empty()) return Unauthenticated("unknown token " + token_id);
  const SqlRow& row = rows[0];
  std::string presented = key_.Hash(token);
  std::string stored = row.Text(0);
  if (stored.size() != presented.size() ||
      sodium_memcmp(stored.data(), presented.data(), stored.size()) != 0) {
    return Unauthenticated("wrong secret for token " + token_id);
  }
  if (!row.Text(2).empty() || !row.Text(7).empty()) {
    return Unauthenticated("revoked token " + token_id);
  }
  std::string expires = row.Text(1);
  if (!expires.empty() && NowTimestamp() >= expires) {
    return Unauthenticated("expired token " + token_id);
  }
  auto role = ParseRole(row.Text(4));
  auto clearance = ParseTlp(row.Text(5));
  if (!role || !clearance) return Corruption("user " + row.Text(3) + ": bad role or clearance");
  Principal principal;
  principal.authenticated = true;
  principal.user = row.Text(3);
  principal.role = *role;
  principal.clearance = *clearance;
  principal.service = row.Text(6);
  principal.token_id = token_id;
  return principal;
}

}  // namespace entente::server
