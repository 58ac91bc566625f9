// Runs one request through the plugins. Any exception or error status from plugin code ends in a
// 500 JSON answer here, so nothing a plugin does can take the host down.
#include "pipeline.h"

#include "log.h"

#include <algorithm>
#include <exception>

namespace latchkey::host {
namespace {

// Calls plugin code, turning an escaped exception into LK_ERR_INTERNAL.
template <typename Fn>
int32_t call_guarded(const std::string& plugin, Fn&& fn) {
  try {
    return fn();
  } catch (const std::exception& error) {
    log_line(LogLevel::error, plugin, std::string("exception escaped a callback: ") + error.what());
  } catch (...) {
    log_line(LogLevel::error, plugin, "unknown exception escaped a callback");
  }
  return LK_ERR_INTERNAL;
}

HttpResponse internal_error() { return json_error(500, "internal_error", "the server failed to handle the request"); }

HttpResponse unauthenticated() {
  HttpResponse response = json_error(401, "invalid_token", "authentication required");
  response.set_header("WWW-Authenticate", "Bearer");
  return response;
}

bool holds_any_role(const Principal& principal, const std::vector<std::string>& roles) {
  return std::any_of(roles.begin(), roles.end(), [&](const std::string& role) {
    return std::find(principal.roles.begin(), principal.roles.end(), role) != principal.roles.end();
  });
}

}  // namespace

HttpResponse Pipeline::run(const HttpRequest& request, const RouteMatch& match, const std::string& local_origin) const {
  HttpResponse response;
  lk_request req;
  req.http = &request;
  req.match = &match;
  req.local_origin = &local_origin;
  lk_response res{&response};

  for (const Filter& filter : filters_) {
    req.authenticate_stage = filter.stage == LK_STAGE_AUTHENTICATE;
    const int32_t status =
        call_guarded(filter.plugin_name, [&] { return filter.fn(filter.user_data, &req, &res); });
    req.authenticate_stage = false;
    if (status == LK_FILTER_RESPOND) return response;
    if (status != LK_FILTER_CONTINUE) {
      log_line(LogLevel::error, filter.plugin_name, "filter '" + filter.name + "' failed with status " +
                                                        std::to_string(status));
      return internal_error();
    }
  }

  const Route& route = *match.route;
  if (route.auth != LK_AUTH_PUBLIC) {
    if (!req.has_principal) return unauthenticated();
    if (!route.roles.empty() && !holds_any_role(req.principal, route.roles)) {
      return json_error(403, "insufficient_role", "this route needs another role");
    }
  }

  const int32_t status = call_guarded(route.plugin_name, [&] { return route.handler(route.user_data, &req, &res); });
  if (status != LK_OK) {
    log_line(LogLevel::error, route.plugin_name,
             "handler " + route.method + " " + route.pattern + " failed with status " + std::to_string(status));
    return internal_error();
  }
  return response;
}

}  // namespace latchkey::host
