#include "exchange/misp_feed_fetch.h"

#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "exchange/sigpipe.h"

namespace entente::exchange {
namespace {

bool IsEventUuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// One GET of `path`, the body kept only up to the limit.
Result<std::string> Fetch(httplib::Client& http, const std::string& url, const std::string& path,
                          int64_t max_bytes) {
  std::string body;
  bool too_big = false;
  auto result = http.Get(path, [&](const char* data, size_t length) {
    if (static_cast<int64_t>(body.size() + length) > max_bytes) {
      too_big = true;
      return false;
    }
    body.append(data, length);
    return true;
  });
  if (too_big)
    return ResourceExhausted(url + ": more than " + std::to_string(max_bytes) + " bytes");
  if (!result) return Unavailable(url + ": " + httplib::to_string(result.error()));
  if (result->status != 200)
    return NotFound(url + ": the server answered HTTP " + std::to_string(result->status));
  return body;
}

Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return IOError(path + ": cannot write the fetched file");
  return Status::Ok();
}

}  // namespace

bool IsFeedUrl(const std::string& path) {
  return path.rfind("https://", 0) == 0 || path.rfind("http://", 0) == 0;
}

Result<int64_t> FetchMispFeed(const std::string& url, const std::string& folder,
                              const FeedFetchOptions& options) {
  if (!IsFeedUrl(url)) return InvalidArgument(url + ": a feed URL starts with https:// or http://");
  const size_t path_start = url.find('/', url.find("://") + 3);
  const std::string host_port = url.substr(0, path_start);
  std::string base = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (base.back() != '/') base += '/';
  IgnoreSigpipe();
  httplib::Client http(host_port);
  if (!http.is_valid()) return InvalidArgument(url + ": cannot set up an HTTP client for it");
  if (url.rfind("https://", 0) == 0) {
    if (!options.ca_cert.empty()) http.set_ca_cert_path(options.ca_cert.c_str());
    http.enable_server_certificate_verification(true);
  }
  http.set_connection_timeout(options.timeout_seconds, 0);
  http.set_read_timeout(options.timeout_seconds, 0);
  http.set_follow_location(false);

  const std::string manifest_url = host_port + base + "manifest.json";
  ENTENTE_ASSIGN_OR_RETURN(
      std::string manifest_text,
      Fetch(http, manifest_url, base + "manifest.json", options.max_file_bytes));
  nlohmann::json manifest = nlohmann::json::parse(manifest_text, nullptr, false);
  if (!manifest.is_object())
    return InvalidArgument(manifest_url + ": not a MISP feed manifest (an object of event uuids)");
  if (static_cast<int64_t>(manifest.size()) > options.max_events)
    return ResourceExhausted(manifest_url + ": lists " + std::to_string(manifest.size()) +
                             " events, more than the limit of " +
                             std::to_string(options.max_events));
  int64_t fetched = 0;
  for (const auto& [uuid, summary] : manifest.items()) {
    if (!IsEventUuid(uuid))
      return InvalidArgument(manifest_url + ", event \"" + uuid + "\": not an event uuid");
    const std::string event_url = host_port + base + uuid + ".json";
    ENTENTE_ASSIGN_OR_RETURN(std::string event,
                             Fetch(http, event_url, base + uuid + ".json", options.max_file_bytes));
    ENTENTE_RETURN_IF_ERROR(WriteFile(folder + "/" + uuid + ".json", event));
    ++fetched;
  }
  ENTENTE_RETURN_IF_ERROR(WriteFile(folder + "/manifest.json", manifest_text));
  return fetched;
}

}  // namespace entente::exchange
