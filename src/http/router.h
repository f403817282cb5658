// The table of routes: registration (duplicate and malformed patterns rejected) and lookup of
// (method, path) to a route with its path parameters, telling "no such path" (404) from "path
// exists, method does not" (405, with the allowed methods).
//
// Thread-safety: Add() during set-up only; Resolve() and routes() are const and may be called
// concurrently once the server runs.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "http/route.h"

namespace entente::server {

struct RouteMatch {
  const RouteSpec* route = nullptr;           // null: no route for this method
  std::map<std::string, std::string> params;  // for `route`
  std::vector<std::string> allowed_methods;   // when the path exists under other methods
};

class Router {
 public:
  // InvalidArgument for a bad method or pattern (must start with "/", {name} segments
  // alphanumeric/underscore, no empty segments), a missing handler, or a non-public route that
  // accepts no credentials; Conflict when (method, pattern) is already taken.
  Status Add(RouteSpec spec);
  // "/a/b/" resolves as "/a/b" (one trailing slash, as TAXII clients send); "/a//b" and
  // "/a/b//" match no route.
  RouteMatch Resolve(std::string_view method, std::string_view path) const;
  const std::vector<RouteSpec>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{x}" for a parameter
  };
  std::vector<RouteSpec> routes_;
  std::vector<Compiled> compiled_;
};

// Splits "/a/b/c" into {"a", "b", "c"}; keeps empty segments ("/a//b" -> {"a", "", "b"}).
std::vector<std::string> SplitPath(std::string_view path);

}  // namespace entente::server
