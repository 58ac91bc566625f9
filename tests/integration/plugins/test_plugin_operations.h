// The test plugin's ABI 1.2 part (metrics, readiness, events): see test_plugin_operations.cpp.
#pragma once

#include <latchkey/plugin.h>

#include <string>

namespace latchkey::test_plugin {

// Called from lk_plugin_init: registers the routes and the readiness check, and tries what init
// may not do (publish) so that a test can read what the host answered. LK_OK or the first error.
int32_t register_operations(const lk_host_api* api, lk_host* host);

// Called from lk_plugin_check_config: what the ABI 1.2 members return there (no init, no
// serving), as "metric=S readiness=S publish=S subscribe=S".
std::string operations_in_check_config(const lk_host_api* api, lk_host* host);

}  // namespace latchkey::test_plugin
