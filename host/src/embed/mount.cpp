// Embedded::mount: each plugin route becomes a route of the application's router whose handler,
// on the reactor thread, only converts the request and queues it; the pipeline runs on a worker
// and answers from there, as in the `latchkey` server.
#include "embed/app_exchange.h"
#include "embed/embedded_state.h"
#include "log.h"

#include <pistache/router.h>

namespace latchkey {
namespace {

using namespace Pistache;
using Clock = std::chrono::steady_clock;

Http::Method pistache_method(const std::string& method) {
  if (method == "POST") return Http::Method::Post;
  if (method == "PUT") return Http::Method::Put;
  if (method == "PATCH") return Http::Method::Patch;
  if (method == "DELETE") return Http::Method::Delete;
  return Http::Method::Get;  // the host table admits no other method (host_api.cpp)
}

// Runs on the application's reactor thread.
void serve(const std::shared_ptr<Embedded::State>& state, const Http::Request& pistache_request,
           Http::ResponseWriter writer) {
  const Clock::time_point started = Clock::now();
  auto request = std::make_shared<host::HttpRequest>(
      embed::plain_request_of(pistache_request, state->runtime->config().trusted_proxies));
  host::RequestRunner& runner = state->runtime->runner();
  // Matched again by the pipeline's router, so that parameters and the choice between two
  // patterns are exactly the server's.
  auto match = std::make_shared<host::RouteMatch>(runner.pipeline().router().match(request->method, request->path));
  auto answer_now = [&](const host::HttpResponse& response) {
    embed::answer(writer, response);
    host::access_log(*request, response.status, started);
  };
  if (match->kind == host::RouteMatch::Kind::method_not_allowed) {
    host::HttpResponse response = host::json_error(405, "method_not_allowed", "this path does not take " + request->method);
    response.set_header("Allow", match->allow);
    return answer_now(response);
  }
  if (match->kind == host::RouteMatch::Kind::not_found && request->method != "GET") {
    return answer_now(host::json_error(404, "not_found", "no such route"));
  }
  if (auto refusal = embed::refuse_large_body(*request, runner.config().max_body_bytes)) return answer_now(*refusal);
  if (!runner.begin_request()) return answer_now(host::json_error(503, "shutting_down", "the server is shutting down"));
  auto shared_writer = std::make_shared<Http::ResponseWriter>(std::move(writer));
  host::Finish finish = [state, shared_writer, started](const host::HttpRequest& done, const host::HttpResponse& response) {
    embed::answer(*shared_writer, response);
    host::access_log(done, response.status, started);
    state->runtime->runner().end_request();
  };
  const std::string origin = embed::local_origin_of(*request);
  if (!runner.run(std::move(request), std::move(match), origin, std::move(finish))) {
    runner.end_request();  // the workers are stopping: answer here rather than drop the writer
    embed::answer(*shared_writer, host::json_error(503, "shutting_down", "the server is shutting down"));
  }
}

}  // namespace

void Embedded::mount(Rest::Router& router) const {
  auto state = state_;
  auto handler = [state](const Rest::Request request, Http::ResponseWriter writer) {
    serve(state, request, std::move(writer));
    return Rest::Route::Result::Ok;
  };
  for (const host::Route& route : state->runtime->pipeline().router().routes()) {
    router.addRoute(pistache_method(route.method), route.pattern, handler);
  }
  // The static folders have no routes of their own: they answer what nothing else does.
  if (!state->runtime->config().statics.empty()) {
    if (router.hasNotFoundHandler()) {
      host::log_line(host::LogLevel::warn, "host",
                     "the router has a not-found handler already: the config's static folders are not mounted");
    } else {
      router.addNotFoundHandler(handler);
    }
  }
}

}  // namespace latchkey
