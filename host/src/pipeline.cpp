// Runs one request through the plugins. Any exception or error status from plugin code ends in a
// 500 JSON answer here, so nothing a plugin does can take the host down.
#include "pipeline.h"

#include "log.h"

#include <algorithm>

namespace latchkey::host {
namespace {

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

void Pipeline::run(HttpRequest request, RouteMatch match, std::string local_origin, Finish finish,
                   Schedule schedule) const {
  std::shared_ptr<Flight> flight;
  try {
    flight = std::make_shared<Flight>(*this, std::move(request), std::move(match), std::move(local_origin),
                                      std::move(finish), std::move(schedule));
  } catch (const std::exception& error) {  // out of memory before the flight existed: finish is still ours
    log_line(LogLevel::error, "host", std::string("cannot start a request: ") + error.what());
    if (finish) finish(HttpRequest{}, internal_error());
    return;
  }
  advance(flight);
}

void Pipeline::advance(const std::shared_ptr<Flight>& flight) const {
  while (flight->next_filter < filters_.size()) {
    const Filter& filter = filters_[flight->next_filter];
    flight->req.authenticate_stage = filter.stage == LK_STAGE_AUTHENTICATE;
    const std::optional<int32_t> status = flight->call(filter.plugin_name, filter.fn, filter.user_data);
    if (!status) return;  // suspended: resume() goes on
    if (!after_filter(*flight, *status)) return;
  }
  run_handler(flight);
}

bool Pipeline::after_filter(Flight& flight, int32_t status) const {
  flight.req.authenticate_stage = false;
  if (status == LK_FILTER_CONTINUE) {
    ++flight.next_filter;
    return true;
  }
  if (status == LK_FILTER_RESPOND) {
    flight.finish(flight.request, flight.response);
  } else {
    const Filter& filter = filters_[flight.next_filter];
    log_line(LogLevel::error, filter.plugin_name,
             "filter '" + filter.name + "' failed with status " + std::to_string(status));
    flight.finish(flight.request, internal_error());
  }
  return false;
}

void Pipeline::run_handler(const std::shared_ptr<Flight>& flight) const {
  const Route& route = *flight->match.route;
  if (route.auth != LK_AUTH_PUBLIC) {
    if (!flight->req.has_principal) return flight->finish(flight->request, unauthenticated());
    if (!route.roles.empty() && !holds_any_role(flight->req.principal, route.roles)) {
      return flight->finish(flight->request, json_error(403, "insufficient_role", "this route needs another role"));
    }
  }
  flight->at_handler = true;
  const std::optional<int32_t> status = flight->call(route.plugin_name, route.handler, route.user_data);
  if (status) after_handler(*flight, *status);
}

void Pipeline::after_handler(Flight& flight, int32_t status) const {
  if (status == LK_OK) return flight.finish(flight.request, flight.response);
  const Route& route = *flight.match.route;
  log_line(LogLevel::error, route.plugin_name,
           "handler " + route.method + " " + route.pattern + " failed with status " + std::to_string(status));
  flight.finish(flight.request, internal_error());
}

void Pipeline::resume(std::shared_ptr<Flight> flight, int32_t status) const {
  // The completing thread is the plugin's own, perhaps at idle priority: the rest (the next
  // filters, the handler, writing the answer and its log line) runs on a worker. Writing takes
  // locks the workers share (the log's, the transport's); an idle thread preempted while holding
  // one would stall them all for as long as the cores are busy.
  const Schedule schedule = flight->schedule;  // a copy: a worker may end the flight before this returns
  schedule([flight = std::move(flight), status] {
    const Pipeline& pipeline = flight->pipeline;
    if (flight->at_handler) return pipeline.after_handler(*flight, status);
    if (pipeline.after_filter(*flight, status)) pipeline.advance(flight);
  });
}

}  // namespace latchkey::host
