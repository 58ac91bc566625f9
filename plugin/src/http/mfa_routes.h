// The second-factor routes of CONTRACT §10 "TOTP": setup, enable, disable, verify, step-up.
#pragma once

#include "http/plugin_state.h"

namespace latchkey::http {

int32_t register_mfa_routes(PluginState& state);

}  // namespace latchkey::http
