// Suspend, queue, answer from the executor's thread (see hash_queue_route.h).
#include "http/hash_queue_route.h"

#include "password/hash_executor.h"

#include <string>

namespace latchkey::http {
namespace {

void busy(Exchange& exchange, std::chrono::seconds retry_after) {
  exchange.respond_json(503, error_body("service_unavailable", "too many sign-ins at once; try again shortly"));
  exchange.set_header("Retry-After", std::to_string(retry_after.count()));
}

}  // namespace

int32_t run_on_hash_queue(PluginState& state, Exchange& exchange, RouteHandler handler) {
  // Suspended before it is queued: the job may run, and complete the request, at once.
  if (!exchange.suspend()) return answer_guarded(state, exchange, handler);
  try {
    const auto refusal = state.hash_queue->submit([&state, exchange, handler](password::JobStart start) mutable {
      int32_t status = LK_OK;
      if (start == password::JobStart::run) {
        status = answer_guarded(state, exchange, handler);
      } else if (start == password::JobStart::too_late) {
        busy(exchange, state.hash_queue->retry_after());
      } else {  // the plugin is being destroyed: the host drained first, so this is only a safety net
        busy(exchange, std::chrono::seconds(1));
      }
      exchange.complete(status);
    });
    if (refusal) {
      busy(exchange, refusal->retry_after);
      exchange.complete(LK_OK);
    }
  } catch (const std::exception& error) {  // the queue could not take it (out of memory)
    state.log(LK_LOG_ERROR, std::string("cannot queue a password hash: ") + error.what());
    exchange.complete(LK_ERR_INTERNAL);
  }
  return LK_OK;  // ignored by the host: the request is completed above or by the job
}

}  // namespace latchkey::http
