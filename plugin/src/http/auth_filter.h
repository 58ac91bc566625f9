// The authentication filter (LK_STAGE_AUTHENTICATE): turns a valid access token into the request's
// principal, and answers 401/403 for protected routes and `protect` prefixes.
#pragma once

#include <latchkey/plugin.h>

namespace latchkey::http {

// user_data is the PluginState.
int32_t authenticate(void* user_data, lk_request* req, lk_response* res);

}  // namespace latchkey::http
