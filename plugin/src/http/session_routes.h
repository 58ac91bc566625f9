// The caller's own sessions (CONTRACT §10), all protected: GET <prefix>/sessions,
// DELETE <prefix>/sessions/:id, POST <prefix>/logout-others.
#pragma once

#include "http/plugin_state.h"

namespace latchkey::http {

int32_t register_session_routes(PluginState& state);

}  // namespace latchkey::http
