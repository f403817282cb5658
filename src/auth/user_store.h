// Users and their API tokens.
//
// A token is "ent_<token id>_<secret>": 8 random bytes of public id (hex) and 32 random bytes
// of secret (hex). It is shown once, when made, and stored only as a keyed BLAKE2b-256 hash
// (libsodium crypto_generichash with a 32-byte server key kept in a file outside the
// database). Why not argon2id: the secret is 256 random bits, so there is nothing to
// brute-force and a slow hash buys no security; it would cost ~50 ms of CPU on every request
// and turn authentication into a denial-of-service lever. The key means a stolen database alone
// cannot even test a guessed token. Comparison is constant-time (sodium_memcmp).
//
// Users have one role, a clearance (TLP) and a service. Revoking a user disables every token
// of theirs at once; a token can also be revoked alone, and may carry an expiry. Every change is
// written to the audit trail in the same transaction.
//
// Thread-safety: a UserStore works on one Database connection; use it from one thread. The
// TokenKey is immutable and may be shared.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/principal.h"
#include "auth/roles.h"
#include "common/status.h"
#include "model/types.h"
#include "store/database.h"

namespace entente::server {

// The server-side key of the token hash.
class TokenKey {
 public:
  static constexpr size_t kSize = 32;
  // Reads the key file (64 hex characters), or creates it with a fresh random key and mode 0600
  // when it does not exist. IOError when unreadable; Corruption when malformed.
  static Result<TokenKey> LoadOrCreate(const std::string& path);
  static TokenKey FromBytes(const std::array<unsigned char, kSize>& bytes);
  // Keyed BLAKE2b-256 of `token`, hex.
  std::string Hash(std::string_view token) const;

 private:
  std::array<unsigned char, kSize> key_{};
};

// The key file used beside a store: "<db path>.token-key" for a SQLite file, else the value of
// $ENTENTE_TOKEN_KEY_FILE, else "<database>.token-key" in the working directory. Every server
// over one PostgreSQL database must use the same key file (token_key_file).
std::string DefaultTokenKeyPath(const std::string& db_target);

struct UserInfo {
  std::string name;
  Role role = Role::kAnalyst;
  Tlp clearance = Tlp::kClear;
  std::string service;
  std::string created;
  std::string revoked;  // when the user was revoked; empty while active
  int64_t active_tokens = 0;
};

struct TokenInfo {
  std::string token_id;
  std::string user;
  std::string created;
  std::string expires;  // empty: never
  std::string revoked;  // empty: not revoked
};

struct NewToken {
  std::string token;  // the secret token: show once, never store or log
  TokenInfo info;
};

struct NewUser {
  std::string name;  // [a-z0-9._@-], 1..64 characters
  Role role = Role::kAnalyst;
  Tlp clearance = Tlp::kGreen;
  std::string service;  // required
  std::string expires;  // token expiry, RFC 3339; empty: never
};

// A token asked for another user (the four-eyes rule): one administrator may not make a token
// for someone else alone, since it would let them act as that person. They ask; a second
// administrator approves (Policy::CanApproveTokenRequest), and the token is made then, shown
// once to the approver. A request not decided within a day lapses.
struct TokenRequest {
  std::string id;  // 16 hex characters
  std::string user;
  std::string requested_by;
  std::string created;
  std::string expires;  // the token's expiry once made, RFC 3339; empty: never
  std::string state;    // pending, approved, refused, lapsed
  std::string decided_by;
};

class UserStore {
 public:
  // REQUIRES: `db` outlives the store; Migrate() was run.
  UserStore(Database* db, TokenKey key) : db_(db), key_(key) {}
  // Creates the tables (component "server_auth") and the audit tables.
  static Status Migrate(Database& db);

  // Creates a user and their first token. InvalidArgument naming the field; Conflict when the
  // name is taken.
  Result<NewToken> AddUser(const AuditActor& actor, const NewUser& user);
  // A further token for an active user. NotFound; PermissionDenied when the user is revoked.
  Result<NewToken> IssueToken(const AuditActor& actor, const std::string& user,
                              const std::string& expires);
  // Revokes the user and all their tokens. NotFound when absent.
  Status RevokeUser(const AuditActor& actor, const std::string& user);
  // Revokes one token. NotFound when absent.
  Status RevokeToken(const AuditActor& actor, const std::string& token_id);

  // Four-eyes tokens (TokenRequest; user_store_requests.cc). RequestToken: NotFound for a
  // missing user, PermissionDenied for a revoked one. Approve and Refuse: NotFound("token
  // request <id> not found"), Conflict when already decided, PermissionDenied when lapsed or
  // when the user was revoked meanwhile. Each writes its audit entry in its transaction.
  Result<TokenRequest> RequestToken(const AuditActor& actor, const std::string& user,
                                    const std::string& expires);
  Result<TokenRequest> GetTokenRequest(const std::string& id);
  Result<std::vector<TokenRequest>> PendingTokenRequests();
  Result<NewToken> ApproveTokenRequest(const AuditActor& actor, const std::string& id);
  Status RefuseTokenRequest(const AuditActor& actor, const std::string& id);

  Result<std::vector<UserInfo>> ListUsers();
  Result<UserInfo> GetUser(const std::string& name);
  Result<std::vector<TokenInfo>> ListTokens(const std::string& user);
  // The user a token belongs to. NotFound("token <id> not found").
  Result<std::string> TokenOwner(const std::string& token_id);

  // Checks a presented token. Unauthenticated with the reason (malformed, unknown, wrong
  // secret, expired, revoked) — the reason is for the audit trail, not for the client.
  Result<Principal> Authenticate(std::string_view token);

  // Validation shared with the CLI.
  static Status ValidateUserName(const std::string& name);
  // Accepts RFC 3339 or a duration "30d", "12h", "90m"; returns RFC 3339 ("" stays "").
  static Result<std::string> ParseExpiry(const std::string& text);

 private:
  Result<NewToken> InsertToken(const std::string& user, const std::string& expires);
  // The request, its state updated to "lapsed" in the row when its day is over.
  Result<TokenRequest> PendingRequestForDecision(const std::string& id);
  Database* db_;
  TokenKey key_;
};

}  // namespace entente::server
