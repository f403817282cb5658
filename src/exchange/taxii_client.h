// A TAXII 2.1 client over HTTPS (cpp-httplib + OpenSSL): HTTP Basic with a user name and API
// token, optional client certificate (mutual TLS), server certificate verified against a CA.
//
// Paths follow the specification (ending in "/"); against a server that only answers the
// same paths without the final slash the client falls back once and remembers.
//
// Thread-safety: a TaxiiClient is used from one thread.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace httplib {
class Client;
}

namespace entente::exchange {

struct TaxiiEndpoint {
  std::string url;  // discovery URL: "https://host:port/taxii2/"
  std::string user;
  std::string token;        // never logged
  std::string ca_cert;      // PEM; empty: system CAs (https) / nothing (http)
  std::string client_cert;  // PEM client certificate and key for mutual TLS
  std::string client_key;
  int timeout_seconds = 60;
};

struct TaxiiReply {
  int status = 0;
  nlohmann::json body;
  std::map<std::string, std::string> headers;  // the X-TAXII-* headers, as sent
};

class TaxiiClient {
 public:
  // InvalidArgument for a malformed URL.
  static Result<std::unique_ptr<TaxiiClient>> Connect(const TaxiiEndpoint& endpoint);
  ~TaxiiClient();

  // GET `path` (absolute on the server, e.g. "/taxii2/entente/collections/"). A non-2xx
  // answer becomes a Status: 401 Unauthenticated, 403 PermissionDenied, 404 NotFound,
  // 400/406/415/422 InvalidArgument, 413 ResourceExhausted, others Unavailable/IOError,
  // with the TAXII error's title and description.
  Result<TaxiiReply> Get(const std::string& path, const std::string& query = "");
  Result<TaxiiReply> Post(const std::string& path, const nlohmann::json& envelope);

  // Discovery: the path of every API root it names, the default one first ("/taxii2/entente/",
  // then the others). NotFound when it names none; values that are not strings are skipped.
  Result<std::vector<std::string>> ApiRoots();
  // The first of ApiRoots().
  Result<std::string> DefaultApiRoot();

  const std::string& base_path() const { return base_path_; }

 private:
  TaxiiClient() = default;
  Result<TaxiiReply> Send(const std::string& method, const std::string& path,
                          const std::string& query, const std::string* body);
  std::unique_ptr<httplib::Client> http_;
  std::string base_path_;  // path part of the discovery URL
  bool strip_slash_ = false;
};

// URL-encodes a query value.
std::string UrlEncode(std::string_view text);

}  // namespace entente::exchange
