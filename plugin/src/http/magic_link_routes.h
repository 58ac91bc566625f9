// The magic-link routes (CONTRACT §10): POST <prefix>/magic-link and <prefix>/magic-link/verify,
// both public and cookie-less; the verify answers like a login (tokens + cookies, or mfaRequired).
#pragma once

#include "http/plugin_state.h"

namespace latchkey::http {

int32_t register_magic_link_routes(PluginState& state);

}  // namespace latchkey::http
