// Suspend, queue, answer from the queue's thread (see hash_queue_route.h). Every path completes
// the request exactly once: a request left suspended would hold its client and the host's drain.
#include "http/hash_queue_route.h"

#include "password/hash_executor.h"

#include <string>

namespace latchkey::http {
namespace {

void busy(PluginState& state, Exchange& exchange, std::chrono::seconds retry_after) {
  state.metrics.hash_rejection();
  exchange.respond_json(503, error_body("service_unavailable", "too many sign-ins at once; try again shortly"));
  exchange.set_header("Retry-After", std::to_string(retry_after.count()));
}

// The job's answer; LK_ERR_INTERNAL (a 500) when answering itself failed.
int32_t answer(PluginState& state, Exchange& exchange, RouteHandler handler, password::JobStart start) noexcept {
  try {
    if (start == password::JobStart::run) return answer_guarded(state, exchange, handler);
    // too_late, or stopping (a safety net: the host drains before it destroys the plugin).
    busy(state, exchange, start == password::JobStart::too_late ? state.hash_queue->retry_after() : std::chrono::seconds(1));
    return LK_OK;
  } catch (...) {
    return LK_ERR_INTERNAL;
  }
}

}  // namespace

int32_t run_on_hash_queue(PluginState& state, Exchange& exchange, RouteHandler handler) {
  // Suspended before it is queued: the job may run, and complete the request, at once.
  if (!exchange.suspend()) return answer_guarded(state, exchange, handler);
  std::optional<password::Refusal> refusal;
  try {
    refusal = state.hash_queue->submit([&state, exchange, handler](password::JobStart start) mutable {
      exchange.complete(answer(state, exchange, handler, start));
    });
  } catch (...) {  // the queue could not take it (out of memory): the job will never run
    exchange.complete(LK_ERR_INTERNAL);
    state.log(LK_LOG_ERROR, "cannot queue a password hash");
    return LK_OK;
  }
  if (refusal) {
    int32_t status = LK_OK;
    try {
      busy(state, exchange, refusal->retry_after);
    } catch (...) {
      status = LK_ERR_INTERNAL;
    }
    exchange.complete(status);
  }
  return LK_OK;  // ignored by the host: the request is completed above or by the job
}

}  // namespace latchkey::http
