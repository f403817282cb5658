// UserStore's four-eyes tokens (TokenRequest in user_store.h): asked by one administrator for
// another user, made only when a second one approves.
#include <chrono>

#include "auth/user_store.h"
#include "common/ids.h"
#include "common/time.h"

namespace entente::server {
namespace {

constexpr int64_t kRequestLifetimeMs = 24LL * 60 * 60 * 1000;
constexpr const char* kRequestColumns =
    "id, user_name, requested_by, created, expires, state, decided_by";

TokenRequest RequestFromRow(const SqlRow& row) {
  return {row.Text(0), row.Text(1), row.Text(2), row.Text(3),
          row.Text(4), row.Text(5), row.Text(6)};
}

bool Lapsed(const TokenRequest& request) {
  int64_t created = 0;
  if (!ParseTimestamp(request.created, &created)) return true;
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  return now - created > kRequestLifetimeMs;
}

Status SetDecision(Database& db, const std::string& id, const std::string& state,
                   const std::string& by) {
  return db.Execute(
      "UPDATE server_token_requests SET state = ?, decided_by = ?, decided = ? WHERE id = ?",
      {state, by, NowTimestamp(), id});
}

}  // namespace

Result<TokenRequest> UserStore::RequestToken(const AuditActor& actor, const std::string& user,
                                             const std::string& expires_text) {
  ENTENTE_ASSIGN_OR_RETURN(std::string expires, ParseExpiry(expires_text));
  Transaction tx(db_);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_ASSIGN_OR_RETURN(UserInfo info, GetUser(user));
  if (!info.revoked.empty()) return PermissionDenied("user " + user + " is revoked");
  TokenRequest request{RandomHex(8), user, actor.actor, NowTimestamp(), expires, "pending", ""};
  ENTENTE_RETURN_IF_ERROR(db_->Execute(
      "INSERT INTO server_token_requests (id, user_name, requested_by, created, expires, state) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {request.id, user, request.requested_by, request.created, expires, request.state}));
  ENTENTE_RETURN_IF_ERROR(AuditLog::Append(*db_, {actor.actor,
                                                  actor.role,
                                                  actor.service,
                                                  "token.request",
                                                  user,
                                                  "ok",
                                                  {{"request", request.id}, {"expires", expires}}})
                              .status());
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  return request;
}

Result<TokenRequest> UserStore::GetTokenRequest(const std::string& id) {
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db_->Query(std::string("SELECT ") + kRequestColumns +
                                                     " FROM server_token_requests WHERE id = ?",
                                                 {id}));
  if (rows.empty()) return NotFound("token request " + id + " not found");
  return RequestFromRow(rows[0]);
}

Result<std::vector<TokenRequest>> UserStore::PendingTokenRequests() {
  ENTENTE_ASSIGN_OR_RETURN(auto rows, db_->Query(std::string("SELECT ") + kRequestColumns +
                                                 " FROM server_token_requests WHERE state = "
                                                 "'pending' ORDER BY created, id"));
  std::vector<TokenRequest> pending;
  for (const SqlRow& row : rows) {
    TokenRequest request = RequestFromRow(row);
    if (!Lapsed(request)) pending.push_back(std::move(request));
  }
  return pending;
}

Result<TokenRequest> UserStore::PendingRequestForDecision(const std::string& id) {
  ENTENTE_ASSIGN_OR_RETURN(TokenRequest request, GetTokenRequest(id));
  if (request.state != "pending")
    return Conflict("token request " + id + " is " + request.state + " already");
  if (Lapsed(request)) {
    ENTENTE_RETURN_IF_ERROR(SetDecision(*db_, id, "lapsed", ""));
    return PermissionDenied("token request " + id +
                            " lapsed: it was not decided within a day; ask again");
  }
  return request;
}

Result<NewToken> UserStore::ApproveTokenRequest(const AuditActor& actor, const std::string& id) {
  Transaction tx(db_);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  auto request = PendingRequestForDecision(id);
  if (!request.ok()) {
    if (request.status().code() == StatusCode::kPermissionDenied)
      ENTENTE_RETURN_IF_ERROR(tx.Commit());  // keep the "lapsed" state
    return request.status();
  }
  ENTENTE_ASSIGN_OR_RETURN(UserInfo info, GetUser(request->user));
  if (!info.revoked.empty()) return PermissionDenied("user " + request->user + " is revoked");
  ENTENTE_ASSIGN_OR_RETURN(NewToken made, InsertToken(request->user, request->expires));
  ENTENTE_RETURN_IF_ERROR(SetDecision(*db_, id, "approved", actor.actor));
  ENTENTE_RETURN_IF_ERROR(AuditLog::Append(*db_, {actor.actor,
                                                  actor.role,
                                                  actor.service,
                                                  "token.approve",
                                                  request->user,
                                                  "ok",
                                                  {{"request", id},
                                                   {"requested_by", request->requested_by},
                                                   {"token_id", made.info.token_id}}})
                              .status());
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  return made;
}

Status UserStore::RefuseTokenRequest(const AuditActor& actor, const std::string& id) {
  Transaction tx(db_);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  auto request = PendingRequestForDecision(id);
  if (!request.ok()) {
    if (request.status().code() == StatusCode::kPermissionDenied)
      ENTENTE_RETURN_IF_ERROR(tx.Commit());
    return request.status();
  }
  ENTENTE_RETURN_IF_ERROR(SetDecision(*db_, id, "refused", actor.actor));
  ENTENTE_RETURN_IF_ERROR(
      AuditLog::Append(*db_, {actor.actor,
                              actor.role,
                              actor.service,
                              "token.refuse",
                              request->user,
                              "ok",
                              {{"request", id}, {"requested_by", request->requested_by}}})
          .status());
  return tx.Commit();
}

}  // namespace entente::server
