// GET <prefix>/events (protected, CONTRACT §9): the caller's own last 50 security events, newest first.
#pragma once

#include "http/plugin_state.h"

namespace latchkey::http {

int32_t register_events_route(PluginState& state);

}  // namespace latchkey::http
