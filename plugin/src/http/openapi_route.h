// GET <prefix>/openapi.json: schemas/openapi.json, compiled into the plugin so that the served
// description always matches the plugin's own API.
#pragma once

#include "http/plugin_state.h"

namespace latchkey::http {

int32_t register_openapi_route(PluginState& state);

}  // namespace latchkey::http
