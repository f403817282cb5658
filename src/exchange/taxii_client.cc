#include "exchange/taxii_client.h"

#include <httplib.h>

#include <algorithm>

#include "exchange/sigpipe.h"
#include "exchange/taxii_json.h"
#include "exchange/wire.h"

namespace entente::exchange {

using nlohmann::json;

std::string UrlEncode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

TaxiiClient::~TaxiiClient() = default;

Result<std::unique_ptr<TaxiiClient>> TaxiiClient::Connect(const TaxiiEndpoint& e) {
  size_t scheme_end = e.url.find("://");
  if (scheme_end == std::string::npos)
    return InvalidArgument("TAXII URL \"" + e.url + "\": no scheme");
  std::string scheme = e.url.substr(0, scheme_end);
  if (scheme != "https" && scheme != "http")
    return InvalidArgument("TAXII URL \"" + e.url + "\": scheme must be https or http");
  size_t path_start = e.url.find('/', scheme_end + 3);
  std::string host_port = e.url.substr(0, path_start);
  IgnoreSigpipe();  // a server closing mid-write fails the request, not the process
  std::unique_ptr<TaxiiClient> client(new TaxiiClient());
  client->base_path_ = path_start == std::string::npos ? "/" : e.url.substr(path_start);
  if (client->base_path_.back() != '/') client->base_path_ += '/';
  if (!e.client_cert.empty()) {
    client->http_ = std::make_unique<httplib::Client>(host_port, e.client_cert, e.client_key);
  } else {
    client->http_ = std::make_unique<httplib::Client>(host_port);
  }
  if (!client->http_->is_valid())
    return InvalidArgument("TAXII URL \"" + e.url + "\": cannot set up the client");
  if (scheme == "https") {
    if (!e.ca_cert.empty()) client->http_->set_ca_cert_path(e.ca_cert.c_str());
    client->http_->enable_server_certificate_verification(true);
  }
  if (!e.user.empty()) client->http_->set_basic_auth(e.user.c_str(), e.token.c_str());
  client->http_->set_connection_timeout(e.timeout_seconds, 0);
  client->http_->set_read_timeout(e.timeout_seconds, 0);
  client->http_->set_write_timeout(e.timeout_seconds, 0);
  client->http_->set_keep_alive(true);
  return client;
}

Result<TaxiiReply> TaxiiClient::Send(const std::string& method, const std::string& path_in,
                                     const std::string& query, const std::string* body) {
  std::string path = path_in;
  if (strip_slash_ && path.size() > 1 && path.back() == '/') path.pop_back();
  std::string target = query.empty() ? path : path + "?" + query;
  httplib::Headers headers = {{"Accept", kTaxiiMediaType}};
  httplib::Result res = method == "GET"
                            ? http_->Get(target.c_str(), headers)
                            : http_->Post(target.c_str(), headers, *body, kTaxiiMediaType);
  // A kept-alive connection the server closed while we were applying the last page (its
  // keep-alive timeout is shorter than a large page takes to apply) fails the next request
  // with a read or write error: a GET is idempotent, so it is sent once more on a new one.
  if (!res && method == "GET" &&
      (res.error() == httplib::Error::Read || res.error() == httplib::Error::Write)) {
    res = http_->Get(target.c_str(), headers);
  }
  if (!res)
    return Unavailable("TAXII " + method + " " + path + ": " + httplib::to_string(res.error()));
  if (res->status == 404 && !strip_slash_ && path.size() > 1 && path.back() == '/') {
    // A server that routes only the slash-less form: retry once and remember.
    strip_slash_ = true;
    auto retry = Send(method, path_in, query, body);
    if (retry.ok()) return retry;
    strip_slash_ = false;
    return retry;
  }
  TaxiiReply reply;
  reply.status = res->status;
  for (const auto& [key, value] : res->headers)
    if (key.rfind("X-TAXII-", 0) == 0 || key.rfind("x-taxii-", 0) == 0) reply.headers[key] = value;
  if (Status depth = CheckJsonDepth(res->body); !depth.ok())
    return Corruption("TAXII " + method + " " + path + ": " + depth.message());
  reply.body = json::parse(res->body, nullptr, false);
  if (res->status >= 200 && res->status < 300) {
    if (reply.body.is_discarded() && !res->body.empty())
      return Corruption("TAXII " + method + " " + path + ": the answer is not JSON");
    if (reply.body.is_discarded()) reply.body = json::object();
    return reply;
  }
  std::string why = "TAXII " + method + " " + path + ": HTTP " + std::to_string(res->status);
  // A TAXII error message's title and description (a partner's server may send anything).
  for (const char* field : {"title", "description"})
    if (reply.body.is_object() && reply.body.contains(field) && reply.body[field].is_string())
      why += (std::string(field) == "title" ? ": " : " ") + reply.body[field].get<std::string>();
  switch (res->status) {
    case 401:
      return Unauthenticated(why);
    case 403:
      return PermissionDenied(why);
    case 404:
      return NotFound(why);
    case 413:
      return ResourceExhausted(why);
    case 400:
    case 406:
    case 415:
    case 422:
      return InvalidArgument(why);
    case 429:
    case 503:
      return Unavailable(why);
    default:
      return IOError(why);
  }
}

Result<TaxiiReply> TaxiiClient::Get(const std::string& path, const std::string& query) {
  return Send("GET", path, query, nullptr);
}

Result<TaxiiReply> TaxiiClient::Post(const std::string& path, const json& envelope) {
  std::string body = envelope.dump();
  return Send("POST", path, "", &body);
}

namespace {

// A root as discovery names it (absolute URL or path, relative to the discovery path or not)
// as a path on this server ending in "/"; "" for a value that is not a string.
std::string RootPath(const json& value, const std::string& base_path) {
  if (!value.is_string()) return "";
  std::string root = value.get<std::string>();
  if (root.empty()) return "";
  // An absolute URL: keep its path.
  if (size_t scheme = root.find("://"); scheme != std::string::npos) {
    size_t slash = root.find('/', scheme + 3);
    root = slash == std::string::npos ? "/" : root.substr(slash);
  }
  if (root.front() != '/') root = base_path + root;
  if (root.back() != '/') root += '/';
  return root;
}

}  // namespace

Result<std::vector<std::string>> TaxiiClient::ApiRoots() {
  ENTENTE_ASSIGN_OR_RETURN(TaxiiReply discovery, Get(base_path_));
  std::vector<std::string> roots;
  auto add = [&](const json& value) {
    std::string path = RootPath(value, base_path_);
    if (!path.empty() && std::find(roots.begin(), roots.end(), path) == roots.end())
      roots.push_back(path);
  };
  if (discovery.body.is_object()) {
    if (discovery.body.contains("default")) add(discovery.body["default"]);
    if (discovery.body.contains("api_roots") && discovery.body["api_roots"].is_array())
      for (const json& r : discovery.body["api_roots"]) add(r);
  }
  if (roots.empty()) return NotFound("TAXII discovery names no API root");
  return roots;
}

Result<std::string> TaxiiClient::DefaultApiRoot() {
  ENTENTE_ASSIGN_OR_RETURN(std::vector<std::string> roots, ApiRoots());
  return roots.front();
}

}  // namespace entente::exchange
