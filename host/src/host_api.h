// The table of host functions handed to every plugin (lk_host_api, ABI 1.2).
#pragma once

#include <latchkey/plugin.h>

namespace latchkey::host {

// The one table; static storage, valid for the life of the process.
const lk_host_api* host_api_table();

}  // namespace latchkey::host
