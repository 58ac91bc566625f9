// Embedded::protect and authenticate: the application's request goes through the same pipeline as
// a plugin route, with a route of the application's whose handler step is host code: it calls the
// application's handler (protect) or keeps the caller (authenticate).
#include "embed/app_exchange.h"
#include "embed/embedded_state.h"
#include "flight.h"
#include "log.h"


namespace latchkey {
namespace {

using namespace Pistache;
using Clock = std::chrono::steady_clock;

Caller caller_of(const host::Principal& principal) {
  return Caller{principal.subject, principal.session_id, principal.claims_json, principal.roles};
}

// One protected request: what the handler step needs, alive until the pipeline finished it.
struct ApplicationCall {
  std::shared_ptr<const Embedded::Handler> handler;
  Rest::Request request;
  Http::ResponseWriter writer;
  bool handled = false;  // the writer went to the application's handler
};

// The handler step of a protected route, on a worker, after the filters passed and the host's
// role check: the application answers.
int32_t call_application(void* user_data, lk_request* req, lk_response*) {
  auto& call = *static_cast<ApplicationCall*>(user_data);
  call.handled = true;
  // A spare writer on the same connection, for a handler that throws before it answered.
  Http::ResponseWriter spare = call.writer.clone();
  try {
    (*call.handler)(call.request, std::move(call.writer), caller_of(req->principal));
  } catch (const std::exception& error) {
    host::log_line(host::LogLevel::error, "application", std::string("a protected handler threw: ") + error.what());
    embed::answer(spare, host::json_error(500, "internal_error", "the server failed to handle the request"));
  } catch (...) {
    host::log_line(host::LogLevel::error, "application", "a protected handler threw");
    embed::answer(spare, host::json_error(500, "internal_error", "the server failed to handle the request"));
  }
  return LK_OK;
}

// Runs on the application's reactor thread.
void serve_protected(const std::shared_ptr<Embedded::State>& state, const std::shared_ptr<const host::Route>& route,
                     const std::shared_ptr<const Embedded::Handler>& handler, const Rest::Request& pistache_request,
                     Http::ResponseWriter writer) {
  const Clock::time_point started = Clock::now();
  auto request = std::make_shared<host::HttpRequest>(
      embed::plain_request_of(pistache_request, state->runtime->config().trusted_proxies));
  host::RequestRunner& runner = state->runtime->runner();
  std::optional<host::HttpResponse> refusal = embed::refuse_large_body(*request, runner.config().max_body_bytes);
  if (!refusal && !runner.begin_request()) {
    refusal = host::json_error(503, "shutting_down", "the server is shutting down");
  }
  if (refusal) {
    embed::answer(writer, *refusal);
    return host::access_log(*request, refusal->status, started);
  }
  auto call = std::make_shared<ApplicationCall>(ApplicationCall{handler, pistache_request, std::move(writer)});
  // The route with this request's call as its user data; the finish below keeps both alive.
  auto own_route = std::make_shared<host::Route>(*route);
  own_route->user_data = call.get();
  auto match = std::make_shared<host::RouteMatch>();
  match->kind = host::RouteMatch::Kind::found;
  match->route = own_route.get();
  host::Finish finish = [state, call, own_route, started](const host::HttpRequest& done,
                                                          const host::HttpResponse& response) {
    if (!call->handled) {  // refused by a filter or the role check: answered as for a plugin route
      embed::answer(call->writer, response);
      host::access_log(done, response.status, started);
    }
    state->runtime->runner().end_request();
  };
  const std::string origin = embed::local_origin_of(*request);
  if (!runner.run(std::move(request), std::move(match), origin, std::move(finish))) {
    runner.end_request();  // the workers are stopping: answer here rather than drop the writer
    embed::answer(call->writer, host::json_error(503, "shutting_down", "the server is shutting down"));
  }
}

// What authenticate() learns from the pipeline.
struct Verdict {
  std::optional<Caller> caller;
};

int32_t keep_caller(void* user_data, lk_request* req, lk_response*) {
  if (req->has_principal) static_cast<Verdict*>(user_data)->caller = caller_of(req->principal);
  return LK_OK;
}

}  // namespace

Rest::Route::Handler Embedded::protect(Handler handler, std::vector<std::string> roles) const {
  auto state = state_;
  auto route = std::make_shared<const host::Route>(
      embed::application_route(LK_AUTH_REQUIRED, std::move(roles), call_application, nullptr));
  auto shared_handler = std::make_shared<const Handler>(std::move(handler));
  return [state, route, shared_handler](const Rest::Request request, Http::ResponseWriter writer) {
    serve_protected(state, route, shared_handler, request, std::move(writer));
    return Rest::Route::Result::Ok;
  };
}

std::optional<Caller> Embedded::authenticate(const Http::Request& pistache_request) const {
  host::RequestRunner& runner = state_->runtime->runner();
  if (!runner.begin_request()) return std::nullopt;
  auto verdict = std::make_shared<Verdict>();
  auto route = std::make_shared<host::Route>(embed::application_route(LK_AUTH_PUBLIC, {}, keep_caller, verdict.get()));
  host::RouteMatch match;
  match.kind = host::RouteMatch::Kind::found;
  match.route = route.get();
  // The finish keeps the route and the verdict alive: after still_running it runs later.
  host::Finish finish = [route, verdict, &runner](const host::HttpRequest&, const host::HttpResponse&) {
    runner.end_request();
  };
  host::HttpRequest request = embed::plain_request_of(pistache_request, state_->runtime->config().trusted_proxies);
  std::string origin = embed::local_origin_of(request);
  // The filters never run on the application's reactor thread: this waits for a worker.
  switch (runner.run_and_wait(std::move(request), std::move(match), std::move(origin), std::move(finish))) {
    case host::RequestRunner::Waited::finished:
      break;
    case host::RequestRunner::Waited::refused:
      runner.end_request();
      return std::nullopt;
    case host::RequestRunner::Waited::still_running:
      // Called on a Latchkey worker (inside a protected handler) and a filter suspended: waiting
      // for its resume could take the last free worker. Nobody, rather than a stalled pool.
      host::log_line(host::LogLevel::warn, "application",
                     "authenticate() on a Latchkey worker: a filter suspended, answered as no caller");
      return std::nullopt;
  }
  return verdict->caller;
}

}  // namespace latchkey
