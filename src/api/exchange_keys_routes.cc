// GET /api/v1/exchange/keys (administrators, permission partners.manage): the keys and
// certificates this node trusts and presents, per partner, for the Administration page.
//
//   node      this node's signing key (public half and key id: what partners put in their
//             agreement), its server certificate and the CA it verifies client certificates by
//   partners  per agreement: the partner's signing key that pulled objects must verify against,
//             the CA its server certificate must chain to, our client certificate for mutual TLS
//             (and whether its key file is there), the account and where its token comes from
//             (an environment variable or a file: set or not, never the token), and the client
//             certificates ([[partners]] in the server's config) that act as this partner here
//
// A certificate is shown with its subject, issuer, validity, SHA-256 fingerprint and days left;
// one that cannot be read is shown with why. No secret leaves the server: no private key, no
// token. The answer names no record, so clearance plays no part; reading it is audited.
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <nlohmann/json.hpp>

#include "api/exchange_received.h"
#include "api/route_util.h"
#include "common/time.h"
#include "exchange/exchange_store.h"
#include "http/message_codes.h"

namespace entente::server {
namespace {

using nlohmann::json;

std::string NameText(const X509_NAME* name) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

// Seconds since the epoch of an ASN.1 time (UTC).
int64_t EpochOf(const ASN1_TIME* time) {
  std::tm tm{};
  ASN1_TIME_to_tm(time, &tm);
  return static_cast<int64_t>(timegm(&tm));
}

// `out` with why it is unusable, and that text's code (http/message_codes.h).
json WithError(json out, const std::string& why) {
  out["error"] = why;
  AddCode(out, "error", why);
  return out;
}

// A PEM certificate file as the page shows it; {path, error} when it cannot be read.
json CertificateJson(const std::string& path) {
  if (path.empty()) return nullptr;
  json out = {{"path", path}};
  std::unique_ptr<FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "r"), std::fclose);
  if (!file) return WithError(out, "cannot open the file");
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_X509(file.get(), nullptr, nullptr, nullptr), X509_free);
  if (!cert) return WithError(out, "not a PEM certificate");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  X509_digest(cert.get(), EVP_sha256(), digest, &length);
  std::string sha256;
  char pair[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(pair, sizeof pair, "%02x", digest[i]);
    sha256 += pair;
  }
  int64_t not_before = EpochOf(X509_get0_notBefore(cert.get()));
  int64_t not_after = EpochOf(X509_get0_notAfter(cert.get()));
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  out["subject"] = NameText(X509_get_subject_name(cert.get()));
  out["issuer"] = NameText(X509_get_issuer_name(cert.get()));
  out["not_before"] = FormatTimestamp(not_before * 1000);
  out["not_after"] = FormatTimestamp(not_after * 1000);
  out["days_left"] = (not_after - now) / 86400;
  out["valid_now"] = now >= not_before && now <= not_after;
  out["sha256"] = sha256;
  return out;
}

json KeyJson(const std::string& public_key) {
  if (public_key.empty()) return nullptr;
  std::string id = exchange::KeyIdOf(public_key);
  json out = {{"public_key", public_key}, {"key_id", id}};
  if (id.empty()) return WithError(out, "not a base64 Ed25519 public key");
  return out;
}

// Where the token for our account on the partner's node comes from; never the token itself.
json TokenSource(const exchange::PartnerInfo& p) {
  if (!p.token_env.empty()) {
    const char* value = std::getenv(p.token_env.c_str());
    return {{"env", p.token_env}, {"present", value != nullptr && *value != '\0'}};
  }
  if (!p.token_file.empty()) {
    std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(p.token_file.c_str(), "r"),
                                                    std::fclose);
    return {{"file", p.token_file}, {"present", f != nullptr}};
  }
  return nullptr;
}

json KeyFile(const std::string& path) {
  if (path.empty()) return nullptr;
  std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(path.c_str(), "r"), std::fclose);
  return {{"path", path}, {"present", f != nullptr}};
}

json MappingsFor(const ServerConfig* config, const std::string& partner) {
  json out = json::array();
  if (!config) return out;
  for (const PartnerConfig& p : config->partners) {
    if (p.name != partner) continue;
    out.push_back({{"cert_cn", p.cert_cn},
                   {"cert_sha256", p.cert_sha256},
                   {"service", p.service},
                   {"clearance", TlpName(p.clearance)}});
  }
  return out;
}

json PartnerJson(const exchange::Agreement& a, const ServerConfig* config) {
  const exchange::PartnerInfo& p = a.partner;
  return {{"partner", p.name},
          {"service", p.service},
          {"url", p.url},
          {"principals", p.principals},
          {"signing_key", KeyJson(p.public_key)},
          {"ca_cert", CertificateJson(p.ca_cert)},
          {"client_cert", CertificateJson(p.client_cert)},
          {"client_key", KeyFile(p.client_key)},
          {"account", p.user.empty() ? json(nullptr) : json(p.user)},
          {"token", TokenSource(p)},
          {"certificate_mappings", MappingsFor(config, p.name)}};
}

HttpResponse Keys(RequestContext& ctx, const ServerConfig* config) {
  if (Status may = ctx.records.policy().CanReadExchangeSetup(ctx.node_service); !may.ok()) {
    ENTENTE_HTTP_RETURN_IF_ERROR(ctx.AuditAlone("exchange.keys.read", ctx.node_service, "denied",
                                                {{"reason", may.message()}}));
    return ErrorFromStatus(may);
  }
  ENTENTE_HTTP_RETURN_IF_ERROR(exchange::ExchangeStore::Migrate(ctx.db));
  exchange::ExchangeStore xs(&ctx.db);
  auto key = xs.NodeKey();
  if (!key.ok() && key.status().code() != StatusCode::kNotFound)
    return ErrorFromStatus(key.status());
  auto agreements = xs.ListAgreements();
  ENTENTE_HTTP_RETURN_IF_ERROR(agreements.status());
  json partners = json::array();
  for (const exchange::Agreement& a : *agreements) partners.push_back(PartnerJson(a, config));
  json node = {{"service", ctx.node_service},
               {"signing_key", key.ok() ? KeyJson(key->public_key) : json(nullptr)},
               {"server_certificate", config ? CertificateJson(config->tls_cert) : json(nullptr)},
               {"client_ca", config ? CertificateJson(config->client_ca) : json(nullptr)}};
  ENTENTE_HTTP_RETURN_IF_ERROR(ctx.AuditAlone("exchange.keys.read", ctx.node_service));
  return JsonResponse(200, Dump({{"node", node}, {"partners", partners}}));
}

const char* kCertificateSchema =
    R"({"type": ["object", "null"], "properties": {"path": {"type": "string"}, "subject": {"type": "string"}, "issuer": {"type": "string"}, "not_before": {"type": "string"}, "not_after": {"type": "string"}, "days_left": {"type": "integer"}, "valid_now": {"type": "boolean"}, "sha256": {"type": "string"}, "error": {"type": "string"}, "error_code": {"type": "string"}, "error_params": {"type": "object"}}})";
const char* kKeySchema =
    R"({"type": ["object", "null"], "properties": {"public_key": {"type": "string"}, "key_id": {"type": "string"}, "error": {"type": "string"}, "error_code": {"type": "string"}, "error_params": {"type": "object"}}})";

std::string KeysSchema() {
  const std::string cert = kCertificateSchema, key = kKeySchema;
  return R"({"type": "object", "properties": {"node": {"type": "object", "properties": {"service": {"type": "string"}, "signing_key": )" +
         key + R"(, "server_certificate": )" + cert + R"(, "client_ca": )" + cert +
         R"(}}, "partners": {"type": "array", "items": {"type": "object", "properties": {"partner": {"type": "string"}, "service": {"type": "string"}, "url": {"type": "string"}, "principals": {"type": "array", "items": {"type": "string"}}, "signing_key": )" +
         key + R"(, "ca_cert": )" + cert + R"(, "client_cert": )" + cert +
         R"(, "client_key": {"type": ["object", "null"]}, "account": {"type": ["string", "null"]}, "token": {"type": ["object", "null"]}, "certificate_mappings": {"type": "array", "items": {"type": "object"}}}}}}})";
}

}  // namespace

Status MountExchangeKeyRoutes(Router& router, const ServerConfig* config) {
  return router.Add(
      {.method = "GET",
       .pattern = "/api/v1/exchange/keys",
       .permission = Permission::kPartnersManage,
       .openapi = OpenApiOp{"Partners' signing keys and certificates, and this node's (admin)",
                            "exchange",
                            {200, 401, 403},
                            {},
                            "",
                            KeysSchema()}
                      .ToJson(),
       .handler = [config](RequestContext& ctx) { return Keys(ctx, config); }});
}

}  // namespace entente::server
