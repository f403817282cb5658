#include "exchange/hitnohit/asking.h"

#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>

#include "common/text.h"
#include "common/time.h"
#include "exchange/exchange_store.h"
#include "exchange/hitnohit/settings.h"
#include "exchange/receive.h"
#include "exchange/sigpipe.h"
#include "exchange/wire.h"

namespace entente::exchange::hitnohit {
namespace {

using nlohmann::json;

struct Reply {
  int status = 0;
  std::string body;
};

// One HTTPS connection to the partner, with this node's client certificate.
class PartnerConnection {
 public:
  static Result<std::unique_ptr<PartnerConnection>> Open(const Agreement& agreement,
                                                         const AskOptions& options) {
    const PartnerInfo& p = agreement.partner;
    if (p.url.rfind("https://", 0) != 0)
      return InvalidArgument("agreement " + p.name + ", key partner.url: \"" + p.url +
                             "\" is not an https:// URL (hit/no-hit needs mutual TLS)");
    if (p.client_cert.empty() || p.client_key.empty())
      return InvalidArgument("agreement " + p.name +
                             ": partner.client_cert and partner.client_key are required");
    size_t slash = p.url.find('/', 8);
    std::string origin = slash == std::string::npos ? p.url : p.url.substr(0, slash);
    IgnoreSigpipe();  // a partner closing mid-write fails the request, not the process
    auto connection = std::unique_ptr<PartnerConnection>(new PartnerConnection());
    connection->options_ = options;
    connection->client_ = std::make_unique<httplib::Client>(origin, p.client_cert, p.client_key);
    if (!p.ca_cert.empty()) connection->client_->set_ca_cert_path(p.ca_cert.c_str());
    connection->client_->enable_server_certificate_verification(true);
    connection->client_->set_connection_timeout(10);
    connection->client_->set_read_timeout(options.timeout_seconds);
    connection->client_->set_write_timeout(options.timeout_seconds);
    connection->client_->set_keep_alive(true);
    connection->client_->set_tcp_nodelay(true);  // no Nagle wait on small requests
    connection->partner_ = p.name;
    return connection;
  }

  Result<Reply> Send(const std::string& method, const std::string& path, const std::string& body) {
    if (options_.on_send) options_.on_send(path, body);
    httplib::Result result = method == "POST"
                                 ? client_->Post(path.c_str(), body, "application/json")
                                 : client_->Get(path.c_str());
    if (!result)
      return Unavailable("cannot reach partner " + partner_ + ": " +
                         httplib::to_string(result.error()));
    return Reply{result->status, result->body};
  }

 private:
  PartnerConnection() = default;
  AskOptions options_;
  std::unique_ptr<httplib::Client> client_;
  std::string partner_;
};

// A non-2xx reply as a Status carrying the partner's message.
Status ReplyStatus(const std::string& partner, const Reply& reply) {
  std::string message = "partner " + partner + " answered " + std::to_string(reply.status);
  json body = json::parse(reply.body, nullptr, false);
  if (!body.is_discarded() && body.is_object() && body.contains("error") &&
      body["error"].is_object())
    message += ": " + body["error"].value("message", std::string());
  switch (reply.status) {
    case 400:
      return InvalidArgument(message);
    case 401:
      return Unauthenticated(message);
    case 403:
      return PermissionDenied(message);
    case 404:
    case 410:
      return NotFound(message);
    case 409:
      return Conflict(message);
    case 413:
    case 429:
      return ResourceExhausted(message);
    case 503:
      return Unavailable(message);
    default:
      return IOError(message);
  }
}

Result<Agreement> AgreementFor(Database& db, const std::string& partner) {
  ENTENTE_RETURN_IF_ERROR(HitNoHitStore::Migrate(db));
  ExchangeStore xs(&db);
  auto agreement = xs.GetAgreement(partner);
  if (!agreement.ok() && agreement.status().code() == StatusCode::kNotFound)
    return NotFound("no sharing agreement with partner " + partner);
  return agreement;
}

Status AuditEvent(Database& db, const server::AuditActor& actor, const std::string& action,
                  const std::string& target, const std::string& outcome,
                  server::AuditDetail detail) {
  server::AuditEvent event{actor.actor, actor.role, actor.service,    action,
                           target,      outcome,    std::move(detail)};
  return server::AuditLog::Append(db, event).status();
}

}  // namespace

Result<AskReport> Ask(Database& db, const std::string& partner,
                      const std::vector<AskQuery>& queries, const AskOptions& options,
                      const server::AuditActor& actor) {
  ENTENTE_ASSIGN_OR_RETURN(Agreement agreement, AgreementFor(db, partner));
  HitNoHitStore hs(&db);
  ENTENTE_ASSIGN_OR_RETURN(HitNoHitSettings settings, hs.LoadSettings(agreement));
  bool private_mode = options.mode == AskOptions::Mode::kPrivate;
  std::optional<PrivacyKeys> keys;
  if (options.mode == AskOptions::Mode::kAuto) private_mode = settings.privacy != PrivacyMode::kOff;
  if (private_mode) {
    auto secret = LoadSecret(settings);
    if (!secret.ok()) {
      if (options.mode == AskOptions::Mode::kPrivate || settings.privacy == PrivacyMode::kRequired)
        return InvalidArgument("privacy-preserving mode with " + partner + ": " +
                               secret.status().message());
      private_mode = false;  // allowed but not set up here: plain
    } else {
      ENTENTE_ASSIGN_OR_RETURN(PrivacyKeys derived, PrivacyKeys::Derive(*secret));
      keys = std::move(derived);
    }
  }
  ENTENTE_ASSIGN_OR_RETURN(auto connection, PartnerConnection::Open(agreement, options));

  AskReport report;
  report.mode = private_mode ? "private" : "plain";
  report.answers.resize(queries.size());
  for (size_t query_idx = 0; query_idx < queries.size(); ++query_idx)
    report.answers[query_idx].label = queries[query_idx].label;

  for (size_t start = 0; start < queries.size(); start += kMaxQueriesPerRequest) {
    const size_t end = std::min(queries.size(), start + kMaxQueriesPerRequest);
    std::vector<AskQuery> batch(queries.begin() + start, queries.begin() + end);
    PreparedRequest prepared = keys ? BuildPrivateRequest(*keys, batch) : BuildPlainRequest(batch);
    for (const auto& [local_idx, why] : prepared.unsent) {
      report.answers[start + local_idx].result = "not-sent";
      report.answers[start + local_idx].error = why;
    }
    if (prepared.sent.empty()) continue;
    ENTENTE_ASSIGN_OR_RETURN(Reply reply, connection->Send("POST", kHitNoHitPath, prepared.body));
    if (reply.status != 200) {
      Status failed = ReplyStatus(partner, reply);
      (void)server::AuditLog::AppendAlone(db, {actor.actor,
                                               actor.role,
                                               actor.service,
                                               "hitnohit.ask",
                                               partner,
                                               "failed",
                                               {{"mode", report.mode},
                                                {"queries", std::to_string(prepared.sent.size())},
                                                {"error", failed.message()}}});
      return failed;
    }
    ENTENTE_ASSIGN_OR_RETURN(std::vector<WireAnswer> wire, ParseResponse(reply.body));
    Transaction tx(&db);
    ENTENTE_RETURN_IF_ERROR(tx.status());
    for (const WireAnswer& w : wire) {
      size_t wire_idx = 0;
      try {
        wire_idx = std::stoul(w.id);
      } catch (...) {
        return InvalidArgument("partner " + partner + " answered unknown query id " + w.id);
      }
      if (wire_idx < 1 || wire_idx > prepared.sent.size())
        return InvalidArgument("partner " + partner + " answered unknown query id " + w.id);
      const size_t local_idx = start + prepared.sent[wire_idx - 1];
      AskAnswer& answer = report.answers[local_idx];
      answer.result = w.result;
      answer.reference = w.reference;
      answer.band = w.band;
      answer.expires = w.expires;
      answer.error = w.error;
      const AskQuery& q = queries[local_idx];
      server::AuditDetail detail = {
          {"partner", partner}, {"mode", report.mode}, {"label", q.label}, {"name", q.name}};
      if (q.birth_date) detail.emplace_back("birth_date", q.birth_date->ToString());
      if (!w.band.empty()) detail.emplace_back("band", w.band);
      ENTENTE_RETURN_IF_ERROR(AuditEvent(db, actor, "hitnohit.ask", w.reference, w.result, detail));
    }
    ENTENTE_RETURN_IF_ERROR(tx.Commit());
  }
  return report;
}

Result<FollowupRow> RequestFollowup(Database& db, const std::string& partner,
                                    const std::string& reference, const std::string& reason,
                                    const server::AuditActor& actor, const AskOptions& options) {
  if (!IsReference(reference))
    return InvalidArgument("reference: expected hnh- and 32 hex digits, as printed by entente ask");
  if (Trim(reason).empty()) return InvalidArgument("--reason: say why the details are needed");
  ENTENTE_ASSIGN_OR_RETURN(Agreement agreement, AgreementFor(db, partner));
  ENTENTE_ASSIGN_OR_RETURN(auto connection, PartnerConnection::Open(agreement, options));
  const std::string body = BuildFollowupRequest({reference, reason, actor.actor});
  ENTENTE_ASSIGN_OR_RETURN(Reply reply, connection->Send("POST", kFollowupsPath, body));
  if (reply.status != 201) {
    Status failed = ReplyStatus(partner, reply);
    (void)server::AuditLog::AppendAlone(db, {actor.actor,
                                             actor.role,
                                             actor.service,
                                             "hitnohit.followup.sent",
                                             reference,
                                             "failed",
                                             {{"partner", partner}, {"error", failed.message()}}});
    return failed;
  }
  json answer = json::parse(reply.body, nullptr, false);
  if (answer.is_discarded() || !answer.is_object() || !answer.contains("id") ||
      !answer["id"].is_string())
    return InvalidArgument("partner " + partner + " answered a follow-up without an id");
  FollowupRow row;
  row.id = answer["id"].get<std::string>();
  row.partner = partner;
  row.reference = reference;
  row.reason = reason;
  row.requested_by = actor.actor;
  row.created = NowTimestamp();
  row.objects_json = "[]";
  HitNoHitStore hs(&db);
  Transaction tx(&db);
  ENTENTE_RETURN_IF_ERROR(tx.status());
  ENTENTE_RETURN_IF_ERROR(hs.PutOutgoing(row));
  ENTENTE_RETURN_IF_ERROR(
      AuditEvent(db, actor, "hitnohit.followup.sent", row.id, "ok",
                 {{"partner", partner}, {"reference", reference}, {"reason", reason}}));
  ENTENTE_RETURN_IF_ERROR(tx.Commit());
  return row;
}

Result<FetchSummary> FetchFollowups(Database& db, const std::string& own_service,
                                    const std::string& partner, const server::AuditActor& actor,
                                    const AskOptions& options) {
  ENTENTE_RETURN_IF_ERROR(HitNoHitStore::Migrate(db));
  HitNoHitStore hs(&db);
  ENTENTE_ASSIGN_OR_RETURN(std::vector<FollowupRow> pending,
                           hs.ListOutgoing(FollowupStatus::kPending, partner));
  FetchSummary summary;
  std::map<std::string, std::unique_ptr<PartnerConnection>> connections;
  std::map<std::string, Agreement> agreements;
  for (const FollowupRow& row : pending) {
    ++summary.checked;
    if (!connections.count(row.partner)) {
      ENTENTE_ASSIGN_OR_RETURN(Agreement agreement, AgreementFor(db, row.partner));
      ENTENTE_ASSIGN_OR_RETURN(auto connection, PartnerConnection::Open(agreement, options));
      connections[row.partner] = std::move(connection);
      agreements[row.partner] = std::move(agreement);
    }
    ENTENTE_ASSIGN_OR_RETURN(
        Reply reply,
        connections[row.partner]->Send("GET", std::string(kFollowupsPath) + "/" + row.id, ""));
    if (reply.status != 200) return ReplyStatus(row.partner, reply);
    json body = json::parse(reply.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("status"))
      return InvalidArgument("partner " + row.partner + " answered follow-up " + row.id +
                             " without a status");
    const std::string status = body.value("status", "");
    const std::string reason = body.value("reason", "");
    if (status == "pending") {
      ++summary.pending;
      summary.lines.push_back(row.id + " " + row.partner + " pending");
      continue;
    }
    if (status == "refused") {
      ++summary.refused;
      Transaction tx(&db);
      ENTENTE_RETURN_IF_ERROR(tx.status());
      ENTENTE_RETURN_IF_ERROR(hs.UpdateOutgoing(row.id, FollowupStatus::kRefused, reason, "[]"));
      ENTENTE_RETURN_IF_ERROR(AuditEvent(db, actor, "hitnohit.followup.refused", row.id, "ok",
                                         {{"partner", row.partner}, {"reason", reason}}));
      ENTENTE_RETURN_IF_ERROR(tx.Commit());
      summary.lines.push_back(row.id + " " + row.partner + " refused: " + reason);
      continue;
    }
    if (status != "approved" || !body.contains("objects") || !body["objects"].is_array())
      return InvalidArgument("partner " + row.partner + " answered follow-up " + row.id +
                             " with status \"" + status + "\" and no objects");
    std::vector<json> objects(body["objects"].begin(), body["objects"].end());
    RecordStore store(&db);
    ENTENTE_ASSIGN_OR_RETURN(auto writer, store.BeginWrite());
    ENTENTE_ASSIGN_OR_RETURN(
        ReceiveSummary received,
        ApplyReceivedObjects(*writer, db, own_service, agreements[row.partner], objects,
                             {actor.actor, actor.role, actor.service}));
    std::vector<std::string> ids;
    for (const ReceivedOutcome& outcome : received.outcomes)
      if (outcome.ok) ids.push_back(outcome.id);
    ENTENTE_RETURN_IF_ERROR(
        hs.UpdateOutgoing(row.id, FollowupStatus::kReceived, reason, body["objects"].dump()));
    ENTENTE_RETURN_IF_ERROR(AuditEvent(db, actor, "hitnohit.release.received", row.id,
                                       received.rejected ? "failed" : "ok",
                                       {{"partner", row.partner},
                                        {"reference", row.reference},
                                        {"created", std::to_string(received.created)},
                                        {"updated", std::to_string(received.updated)},
                                        {"rejected", std::to_string(received.rejected)}}));
    ENTENTE_RETURN_IF_ERROR(writer->Commit());
    ++summary.approved;
    summary.records += received.created + received.updated;
    std::string line = row.id + " " + row.partner + " approved: " + reason + "; " +
                       std::to_string(received.created + received.updated) + " record(s) stored";
    if (received.rejected) {
      line += ", " + std::to_string(received.rejected) + " refused";
      for (const ReceivedOutcome& outcome : received.outcomes)
        if (!outcome.ok) line += " (" + outcome.id + ": " + outcome.message + ")";
    }
    summary.lines.push_back(line);
  }
  return summary;
}

}  // namespace entente::exchange::hitnohit
