// The passkey routes of CONTRACT §10: the options and results of both ceremonies
// (<prefix>/passkeys/register/options, /register, /login/options, /login), and the caller's list
// (GET <prefix>/passkeys) and removal (DELETE <prefix>/passkeys/:id).
#pragma once

#include "http/plugin_state.h"

namespace latchkey::http {

int32_t register_passkey_routes(PluginState& state);

}  // namespace latchkey::http
