// The auth plugin's routes (CONTRACT §3): login, refresh, me (+ alias), logout, logout-all, JWKS.
#pragma once

#include "http/plugin_state.h"

#include <latchkey/plugin.h>

namespace latchkey::http {

// Registers every route through the host table; returns the first failing status or LK_OK.
int32_t register_auth_routes(PluginState& state);

}  // namespace latchkey::http
