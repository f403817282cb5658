#include "http/router.h"

#include <algorithm>

namespace entente::server {
namespace {

bool IsParam(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool IsValidParamName(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  if (path.empty() || path == "/") return segments;
  size_t start = path.front() == '/' ? 1 : 0;
  while (true) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      segments.emplace_back(path.substr(start));
      break;
    }
    segments.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

Status Router::Add(RouteSpec spec) {
  static const std::vector<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  std::string where = spec.method + " " + spec.pattern;
  if (std::find(kMethods.begin(), kMethods.end(), spec.method) == kMethods.end()) {
    return InvalidArgument("route " + where + ": unsupported method");
  }
  if (spec.pattern.empty() || spec.pattern.front() != '/') {
    return InvalidArgument("route " + where + ": pattern must start with /");
  }
  if (!spec.handler) return InvalidArgument("route " + where + ": no handler");
  if (spec.permission != Permission::kPublic && spec.auth == kAuthNone) {
    return InvalidArgument("route " + where + ": a protected route must accept credentials");
  }
  Compiled compiled;
  compiled.segments = SplitPath(spec.pattern);
  for (const std::string& segment : compiled.segments) {
    if (segment.empty()) return InvalidArgument("route " + where + ": empty path segment");
    if (segment.find('{') != std::string::npos || segment.find('}') != std::string::npos) {
      if (!IsParam(segment) ||
          !IsValidParamName(std::string_view(segment).substr(1, segment.size() - 2))) {
        return InvalidArgument("route " + where + ": bad parameter segment " + segment);
      }
    }
  }
  for (size_t route_idx = 0; route_idx < routes_.size(); ++route_idx) {
    if (routes_[route_idx].method != spec.method) continue;
    const auto& other = compiled_[route_idx].segments;
    if (other.size() != compiled.segments.size()) continue;
    bool same = true;
    for (size_t seg_idx = 0; seg_idx < other.size() && same; ++seg_idx) {
      bool both_params = IsParam(other[seg_idx]) && IsParam(compiled.segments[seg_idx]);
      same = both_params || other[seg_idx] == compiled.segments[seg_idx];
    }
    if (same)
      return Conflict("route " + where + ": already registered as " + routes_[route_idx].pattern);
  }
  routes_.push_back(std::move(spec));
  compiled_.push_back(std::move(compiled));
  return Status::Ok();
}

RouteMatch Router::Resolve(std::string_view method, std::string_view path) const {
  RouteMatch result;
  // One trailing slash is accepted: TAXII clients end every URL with one ("/taxii2/").
  // "//" still leaves an empty segment, which matches nothing.
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  std::vector<std::string> segments = SplitPath(path);
  // Literal segments win over parameters: pick the match with the most literal segments.
  int best_literals = -1;
  for (size_t route_idx = 0; route_idx < routes_.size(); ++route_idx) {
    const auto& pattern = compiled_[route_idx].segments;
    if (pattern.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    int literals = 0;
    bool matched = true;
    for (size_t seg_idx = 0; seg_idx < pattern.size() && matched; ++seg_idx) {
      if (IsParam(pattern[seg_idx])) {
        if (segments[seg_idx].empty()) matched = false;
        params[pattern[seg_idx].substr(1, pattern[seg_idx].size() - 2)] = segments[seg_idx];
      } else {
        matched = pattern[seg_idx] == segments[seg_idx];
        literals++;
      }
    }
    if (!matched) continue;
    if (routes_[route_idx].method == method) {
      if (literals > best_literals) {
        best_literals = literals;
        result.route = &routes_[route_idx];
        result.params = std::move(params);
      }
    } else if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(),
                         routes_[route_idx].method) == result.allowed_methods.end()) {
      result.allowed_methods.push_back(routes_[route_idx].method);
    }
  }
  return result;
}

}  // namespace entente::server
