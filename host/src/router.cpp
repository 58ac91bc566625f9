// Route matching: literal segments beat parameters; a path known under another method is 405.
#include "router.h"

#include "url_decode.h"

#include <algorithm>
#include <set>

namespace latchkey::host {
namespace {

bool is_param(const std::string& segment) { return segment.size() > 1 && segment[0] == ':'; }

// The number of literal segments matched, or -1 when the pattern does not match.
int match_score(const Route& route, const std::vector<std::string>& segments, PathParams* params) {
  if (route.segments.size() != segments.size()) return -1;
  int literals = 0;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& expected = route.segments[i];
    if (is_param(expected)) {
      if (segments[i].empty()) return -1;
      if (params) params->emplace_back(expected.substr(1), percent_decode(segments[i]));
    } else if (expected == segments[i]) {
      ++literals;
    } else {
      return -1;
    }
  }
  return literals;
}

}  // namespace

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  if (path.empty() || path.front() != '/') return segments;
  size_t start = 1;
  while (true) {
    const size_t slash = path.find('/', start);
    segments.emplace_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

bool Router::add(Route route) {
  if (route.pattern.empty() || route.pattern.front() != '/' || !route.handler) return false;
  route.segments = split_path(route.pattern);
  // Two patterns that differ only in parameter names match the same paths: the second could never
  // be reached, so it is refused like an exact duplicate.
  auto same_shape = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (is_param(a[i]) != is_param(b[i]) || (!is_param(a[i]) && a[i] != b[i])) return false;
    }
    return true;
  };
  for (const Route& existing : routes_) {
    if (existing.method == route.method && same_shape(existing.segments, route.segments)) return false;
  }
  routes_.push_back(std::move(route));
  return true;
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  const std::vector<std::string> segments = split_path(path);
  RouteMatch result;
  int best = -1;
  std::set<std::string> allowed;
  for (const Route& route : routes_) {
    const int score = match_score(route, segments, nullptr);
    if (score < 0) continue;
    allowed.insert(route.method);
    if (route.method == method && score > best) {
      best = score;
      result.route = &route;
    }
  }
  if (result.route) {
    result.kind = RouteMatch::Kind::found;
    match_score(*result.route, segments, &result.params);
  } else if (!allowed.empty()) {
    result.kind = RouteMatch::Kind::method_not_allowed;
    for (const std::string& m : allowed) result.allow += (result.allow.empty() ? "" : ", ") + m;
  }
  return result;
}

}  // namespace latchkey::host
