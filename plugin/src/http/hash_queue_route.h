// Routes that hash a password run on the plugin's hash queue (password/hash_executor.h), never on
// the host's workers: the request is suspended (ABI 1.1), waits in the queue, runs on one of its
// threads (its Argon2 computation on an idle-priority thread), and is completed from there. A login
// rush therefore queues instead of holding every worker, and other routes keep answering.
#pragma once

#include "http/route_support.h"

namespace latchkey::http {

// Suspends the request and queues handler (run through answer_guarded) on state.hash_queue.
// Answers 503 service_unavailable with Retry-After, before any database lookup, when the queue's
// expected wait passes password.max_queue_wait_ms, and also when the job waited past it. Both
// depend on the queue only, never on the account, so they say nothing of which accounts exist.
int32_t run_on_hash_queue(PluginState& state, Exchange& exchange, RouteHandler handler);

// The C handler for a route that hashes a password.
template <RouteHandler handler>
int32_t hash_queued(void* user_data, lk_request* req, lk_response* res) {
  PluginState& state = *static_cast<PluginState*>(user_data);
  Exchange exchange(state.api, req, res);
  return run_on_hash_queue(state, exchange, handler);
}

}  // namespace latchkey::http
