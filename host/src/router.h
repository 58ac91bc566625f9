// Matches a method and path against the registered route patterns (":name" segments).
#pragma once

#include <latchkey/plugin.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace latchkey::host {

struct Route {
  std::string method;
  std::string pattern;
  std::vector<std::string> segments;  // the pattern split on '/'
  uint32_t auth = LK_AUTH_REQUIRED;
  std::vector<std::string> roles;
  lk_handler_fn handler = nullptr;
  void* user_data = nullptr;
  std::string plugin_name;
};

using PathParams = std::vector<std::pair<std::string, std::string>>;  // percent-decoded values

struct RouteMatch {
  enum class Kind { found, method_not_allowed, not_found };
  Kind kind = Kind::not_found;
  const Route* route = nullptr;
  PathParams params;
  std::string allow;  // for method_not_allowed: "GET, POST"
};

std::vector<std::string> split_path(std::string_view path);

class Router {
 public:
  // False when the method+pattern is already taken or the pattern is malformed.
  bool add(Route route);
  RouteMatch match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }  // in registration order

 private:
  std::vector<Route> routes_;
};

}  // namespace latchkey::host
