// GET <prefix>/client.js: the browser client (examples/web/latchkey-client.js), compiled into the
// plugin so that the served copy always matches the plugin's own API.
#pragma once

#include "http/plugin_state.h"

namespace latchkey::http {

int32_t register_client_script_route(PluginState& state);

}  // namespace latchkey::http
