#include "server/transport_errors.h"

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "exchange/wire.h"
#include "http/route.h"

namespace entente::server {
namespace {

// What a client most likely did to get `status` from the library itself.
std::string LikelyCause(int status) {
  switch (status) {
    case 400:
      return "the request could not be read: a malformed request line or header, or a body "
             "sent without Content-Length";
    case 404:
      return "no such path";
    case 413:
      return "the request body is larger than this server accepts";
    case 414:
      return "the request URI is longer than this server accepts";
    case 431:
      return "the request headers are larger than this server accepts";
    default:
      return "the request was refused (HTTP " + std::to_string(status) + ")";
  }
}

std::string CodeOf(int status) {
  switch (status) {
    case 404:
      return "not_found";
    case 413:
      return "payload_too_large";
    case 414:
    case 431:
      return "request_too_large";
    default:
      return "invalid_argument";
  }
}

}  // namespace

void InstallTransportErrorBodies(httplib::Server& http) {
  httplib::Server::HandlerWithResponse fill = [](const httplib::Request& req,
                                                 httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const std::string cause = LikelyCause(res.status);
    if (req.path.rfind("/taxii2", 0) == 0) {
      nlohmann::json error = {{"title", cause}, {"http_status", std::to_string(res.status)}};
      res.set_content(error.dump(), exchange::kTaxiiMediaType);
    } else {
      res.set_content(JsonError(res.status, CodeOf(res.status), cause).body, "application/json");
    }
    return httplib::Server::HandlerResponse::Handled;
  };
  http.set_error_handler(std::move(fill));
}

}  // namespace entente::server
