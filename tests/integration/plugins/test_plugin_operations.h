// The test plugin's ABI 1.2 part (metrics, readiness, events): see test_plugin_operations.cpp.
#pragma once

#include <latchkey/plugin.h>

namespace latchkey::test_plugin {

// Called from lk_plugin_init: registers the routes and the readiness check, and tries what init
// may not do (publish) so that a test can read what the host answered. LK_OK or the first error.
int32_t register_operations(const lk_host_api* api, lk_host* host);

}  // namespace latchkey::test_plugin
