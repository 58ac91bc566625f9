// The account routes (CONTRACT §3): register, confirm (GET link and POST), confirm/resend,
// password/forgot, password/reset, password/change.
#pragma once

#include "http/plugin_state.h"

namespace latchkey::http {

int32_t register_account_routes(PluginState& state);

}  // namespace latchkey::http
