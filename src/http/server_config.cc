#include "http/server_config.h"

#include <toml++/toml.h>

#include <sstream>

namespace entente::server {
namespace {

template <typename T>
Status ReadInt(const toml::table& table, std::string_view key, const std::string& where, T* out) {
  const toml::node* node = table.get(key);
  if (!node) return Status::Ok();
  auto value = node->value<int64_t>();
  if (!value || *value < 0) {
    return InvalidArgument(where + " key " + std::string(key) +
                           ": expected a non-negative integer");
  }
  *out = static_cast<T>(*value);
  return Status::Ok();
}

Status ReadString(const toml::table& table, std::string_view key, const std::string& where,
                  std::string* out) {
  const toml::node* node = table.get(key);
  if (!node) return Status::Ok();
  auto value = node->value<std::string>();
  if (!value) return InvalidArgument(where + " key " + std::string(key) + ": expected a string");
  *out = *value;
  return Status::Ok();
}

Status ReadBool(const toml::table& table, std::string_view key, const std::string& where,
                bool* out) {
  const toml::node* node = table.get(key);
  if (!node) return Status::Ok();
  const toml::value<bool>* value = node->as_boolean();
  if (!value)
    return InvalidArgument(where + " key " + std::string(key) + ": expected true or false");
  *out = value->get();
  return Status::Ok();
}

}  // namespace

Status ParseListen(const std::string& text, std::string* host, int* port) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return InvalidArgument("listen address '" + text + "': expected HOST:PORT");
  }
  std::string host_part = text.substr(0, colon);
  if (host_part.front() == '[' && host_part.back() == ']') {
    host_part = host_part.substr(1, host_part.size() - 2);
  }
  std::string port_part = text.substr(colon + 1);
  if (port_part.size() > 5 || port_part.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgument("listen address '" + text + "': port must be a number");
  }
  int value = std::stoi(port_part);
  if (value > 65535) return InvalidArgument("listen address '" + text + "': port out of range");
  *host = host_part;
  *port = value;
  return Status::Ok();
}

Result<ServerConfig> LoadServerConfig(const std::string& path, ServerConfig config) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    std::ostringstream where;
    where << path << " line " << error.source().begin.line;
    return InvalidArgument(where.str() + ": " + std::string(error.description()));
  } catch (const std::exception& error) {
    return IOError(path + ": " + error.what());
  }
  if (const toml::table* server = root["server"].as_table()) {
    std::string where = path + " [server]";
    std::string listen;
    ENTENTE_RETURN_IF_ERROR(ReadString(*server, "listen", where, &listen));
    if (!listen.empty()) {
      ENTENTE_RETURN_IF_ERROR(ParseListen(listen, &config.host, &config.port).WithContext(where));
    }
    ENTENTE_RETURN_IF_ERROR(ReadBool(*server, "http", where, &config.plain_http));
    ENTENTE_RETURN_IF_ERROR(ReadBool(*server, "worker", where, &config.screening_worker));
    ENTENTE_RETURN_IF_ERROR(ReadString(*server, "db", where, &config.db_target));
    ENTENTE_RETURN_IF_ERROR(ReadString(*server, "service", where, &config.service));
    ENTENTE_RETURN_IF_ERROR(ReadString(*server, "token_key_file", where, &config.token_key_file));
    ENTENTE_RETURN_IF_ERROR(ReadString(*server, "id_key_file", where, &config.id_key_file));
    ENTENTE_RETURN_IF_ERROR(
        ReadString(*server, "audit_anchors_file", where, &config.audit_anchors_file));
    ENTENTE_RETURN_IF_ERROR(ReadString(*server, "log_level", where, &config.log_level));
    ENTENTE_RETURN_IF_ERROR(ReadString(*server, "upload_dir", where, &config.upload_dir));
    ENTENTE_RETURN_IF_ERROR(ReadString(*server, "static_dir", where, &config.static_dir));
  }
  if (const toml::table* tls = root["tls"].as_table()) {
    std::string where = path + " [tls]";
    ENTENTE_RETURN_IF_ERROR(ReadString(*tls, "cert", where, &config.tls_cert));
    ENTENTE_RETURN_IF_ERROR(ReadString(*tls, "key", where, &config.tls_key));
    ENTENTE_RETURN_IF_ERROR(ReadString(*tls, "client_ca", where, &config.client_ca));
  }
  if (const toml::table* limits = root["limits"].as_table()) {
    std::string where = path + " [limits]";
    ServerLimits& l = config.limits;
    ENTENTE_RETURN_IF_ERROR(ReadInt(*limits, "max_body_bytes", where, &l.max_body_bytes));
    ENTENTE_RETURN_IF_ERROR(ReadInt(*limits, "max_import_bytes", where, &l.max_import_bytes));
    ENTENTE_RETURN_IF_ERROR(
        ReadInt(*limits, "request_timeout_seconds", where, &l.request_timeout_seconds));
    ENTENTE_RETURN_IF_ERROR(
        ReadInt(*limits, "read_timeout_seconds", where, &l.read_timeout_seconds));
    ENTENTE_RETURN_IF_ERROR(
        ReadInt(*limits, "write_timeout_seconds", where, &l.write_timeout_seconds));
    ENTENTE_RETURN_IF_ERROR(ReadInt(*limits, "keep_alive_seconds", where, &l.keep_alive_seconds));
    ENTENTE_RETURN_IF_ERROR(ReadInt(*limits, "max_connections", where, &l.max_connections));
    ENTENTE_RETURN_IF_ERROR(ReadInt(*limits, "max_slow_connections_per_address", where,
                                    &l.max_slow_connections_per_address));
    ENTENTE_RETURN_IF_ERROR(ReadInt(*limits, "rate_per_minute", where, &l.rate_per_minute));
    ENTENTE_RETURN_IF_ERROR(ReadInt(*limits, "rate_burst", where, &l.rate_burst));
  }
  if (const toml::table* match = root["match"].as_table()) {
    ENTENTE_RETURN_IF_ERROR(
        ReadInt(*match, "refresh_ms", path + " [match]", &config.match_refresh_ms));
  }
  if (const toml::table* session = root["session"].as_table()) {
    const std::string where = path + " [session]";
    ENTENTE_RETURN_IF_ERROR(
        ReadInt(*session, "idle_timeout_seconds", where, &config.session_idle_timeout_seconds));
    ENTENTE_RETURN_IF_ERROR(
        ReadInt(*session, "lifetime_seconds", where, &config.session_lifetime_seconds));
  }
  if (const toml::table* sync = root["sync"].as_table()) {
    ENTENTE_RETURN_IF_ERROR(
        ReadInt(*sync, "interval_seconds", path + " [sync]", &config.sync_interval_seconds));
  }
  if (const toml::node* partners = root.get("partners")) {
    const toml::array* list = partners->as_array();
    if (!list) return InvalidArgument(path + ": partners must be an array of tables [[partners]]");
    for (size_t partner_idx = 0; partner_idx < list->size(); ++partner_idx) {
      const toml::table* table = (*list)[partner_idx].as_table();
      std::string where = path + " [[partners]] #" + std::to_string(partner_idx + 1);
      if (!table) return InvalidArgument(where + ": expected a table");
      PartnerConfig partner;
      ENTENTE_RETURN_IF_ERROR(ReadString(*table, "name", where, &partner.name));
      ENTENTE_RETURN_IF_ERROR(ReadString(*table, "service", where, &partner.service));
      ENTENTE_RETURN_IF_ERROR(ReadString(*table, "cert_cn", where, &partner.cert_cn));
      ENTENTE_RETURN_IF_ERROR(ReadString(*table, "cert_sha256", where, &partner.cert_sha256));
      std::string clearance;
      ENTENTE_RETURN_IF_ERROR(ReadString(*table, "clearance", where, &clearance));
      if (!clearance.empty()) {
        auto tlp = ParseTlp(clearance);
        if (!tlp) return InvalidArgument(where + " key clearance: not a TLP level");
        partner.clearance = *tlp;
      }
      config.partners.push_back(std::move(partner));
    }
  }
  return config;
}

Status ValidateServerConfig(const ServerConfig& config) {
  if (!config.plain_http && (config.tls_cert.empty() || config.tls_key.empty())) {
    return InvalidArgument(
        "HTTPS needs a certificate and key (--tls-cert FILE --tls-key FILE, or [tls] in the "
        "config; `entente pki` makes them); use --http only behind a TLS proxy or for tests");
  }
  const ServerLimits& l = config.limits;
  if (l.max_body_bytes == 0 || l.max_import_bytes == 0 || l.request_timeout_seconds <= 0 ||
      l.read_timeout_seconds <= 0 || l.write_timeout_seconds <= 0 || l.max_connections <= 0 ||
      l.rate_per_minute <= 0 || l.rate_burst <= 0) {
    return InvalidArgument("limits: every limit must be positive");
  }
  if (config.session_idle_timeout_seconds <= 0 || config.session_lifetime_seconds <= 0) {
    return InvalidArgument("session: idle_timeout_seconds and lifetime_seconds must be positive");
  }
  if (config.service.empty()) return InvalidArgument("server service: required");
  for (const PartnerConfig& partner : config.partners) {
    if (partner.name.empty() || partner.service.empty()) {
      return InvalidArgument("partners: each partner needs a name and a service");
    }
    if (partner.cert_cn.empty() && partner.cert_sha256.empty()) {
      return InvalidArgument("partner " + partner.name + ": give cert_cn or cert_sha256");
    }
  }
  return Status::Ok();
}

}  // namespace entente::server
