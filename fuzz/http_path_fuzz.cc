// Fuzz target: the HTTP request path and query of `entente serve`: the request target decoded
// the way the server's HTTP layer does it (cpp-httplib's decode_url and parse_query_text, as in
// its request-line parser), resolved by the real route table (http/router.h Router::Resolve
// over every route api/mount_all.cc mounts), and the query values decoded by the shared route
// helpers (api/route_util.h DecodeCursor and IntQuery).
//
// Input: "<METHOD> <target>", e.g. "GET /api/v1/entities/person--1?cursor=cDEw&limit=5".
// Seeds: fuzz/seeds/http_path/ (one request per route pattern, with queries).
// Invariants: a route found has the request's method, as many path parameters as its pattern,
// none empty, and its literal segments equal the path's; a path found under other methods never
// lists the request's own; SplitPath joins back to the path; a cursor that decodes is
// non-negative and survives EncodeCursor; an IntQuery that succeeds is within its bounds.
#include <httplib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/mount_all.h"
#include "api/route_util.h"
#include "http/router.h"
#include "http/server_config.h"

namespace {

namespace srv = entente::server;

void Fail(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "http_path_fuzz invariant broken: %s [%s]\n", what, detail.c_str());
  std::abort();
}

const srv::Router& Routes() {
  static const srv::Router* router = [] {
    static srv::ServerConfig config;
    static srv::TokenKey key = srv::TokenKey::FromBytes({});
    auto* r = new srv::Router();
    srv::BuiltinDeps deps;
    deps.router = r;
    deps.config = &config;
    deps.token_key = &key;
    entente::Status mounted = srv::MountAllRoutes(*r, deps);
    if (!mounted.ok()) Fail("cannot mount the routes:", mounted.message());
    if (r->routes().empty()) Fail("no routes mounted");
    return r;
  }();
  return *router;
}

void CheckResolve(const std::string& method, const std::string& path) {
  srv::RouteMatch match = Routes().Resolve(method, path);
  std::string_view trimmed = path;
  if (trimmed.size() > 1 && trimmed.back() == '/') trimmed.remove_suffix(1);
  std::vector<std::string> segments = srv::SplitPath(trimmed);
  if (match.route) {
    if (match.route->method != method) Fail("a route of another method", match.route->pattern);
    std::vector<std::string> pattern = srv::SplitPath(match.route->pattern);
    if (pattern.size() != segments.size()) Fail("segment count differs", match.route->pattern);
    size_t params = 0;
    for (size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i].size() > 2 && pattern[i].front() == '{') {
        ++params;
        auto it = match.params.find(pattern[i].substr(1, pattern[i].size() - 2));
        if (it == match.params.end() || it->second.empty() || it->second != segments[i])
          Fail("a path parameter is missing, empty or wrong", pattern[i]);
      } else if (pattern[i] != segments[i]) {
        Fail("a literal segment differs", pattern[i]);
      }
    }
    if (params != match.params.size()) Fail("extra path parameters", match.route->pattern);
  } else {
    for (const std::string& other : match.allowed_methods)
      if (other == method) Fail("the request's own method listed as another", method);
  }
  if (!trimmed.empty() && trimmed != "/" && trimmed.front() == '/') {
    std::string joined;
    for (const std::string& segment : segments) joined += "/" + segment;
    if (joined != trimmed) Fail("SplitPath does not join back", std::string(trimmed));
  }
}

void CheckQuery(const srv::HttpRequest& request) {
  if (request.HasQuery("cursor")) {
    auto position = srv::DecodeCursor(request.Query("cursor"));
    if (position.ok()) {
      if (*position < 0) Fail("a negative cursor");
      auto again = srv::DecodeCursor(srv::EncodeCursor(*position));
      if (!again.ok() || *again != *position) Fail("a cursor does not survive EncodeCursor");
    } else if (position.status().message().empty()) {
      Fail("cursor error without a message");
    }
  }
  for (const char* name : {"limit", "offset", "top", "page_size"}) {
    auto value = srv::IntQuery(request, name, 7, 1, 1000);
    if (value.ok() && *value != 7 && (*value < 1 || *value > 1000)) Fail("IntQuery out of bounds");
    if (!value.ok() && value.status().message().empty()) Fail("IntQuery error without a message");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t space = input.find(' ');
  if (space == std::string_view::npos) return 0;
  srv::HttpRequest request;
  request.method = std::string(input.substr(0, space));
  std::string target(input.substr(space + 1));
  // As cpp-httplib's request-line parser: the part before the first '?' is the path (percent
  // decoded, '+' kept), the part after it the query; a second '?' makes the request invalid.
  size_t question = target.find('?');
  if (question != std::string::npos && target.find('?', question + 1) != std::string::npos)
    return 0;
  request.path = httplib::detail::decode_url(target.substr(0, question), false);
  if (question != std::string::npos && question + 1 < target.size()) {
    httplib::Params params;
    httplib::detail::parse_query_text(target.substr(question + 1), params);
    for (const auto& [name, value] : params) request.query.emplace(name, value);
  }
  CheckResolve(request.method, request.path);
  CheckResolve(request.method, target.substr(0, question));  // the raw form too
  CheckQuery(request);
  return 0;
}
