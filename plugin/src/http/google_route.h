// Google sign-in routes (CONTRACT §3): POST <prefix>/google {credential[, nonce]} and
// GET <prefix>/google/nonce. Registered only when google.client_id is set (state.google).
#pragma once

#include "http/plugin_state.h"

#include <latchkey/plugin.h>

namespace latchkey::http {

// Registers both routes through the host table; LK_OK without registering when Google sign-in
// is off. Returns the first failing status otherwise.
int32_t register_google_routes(PluginState& state);

}  // namespace latchkey::http
