// Converts Pistache's parsed request into the plain value the pipeline works on.
#pragma once

#include "http_types.h"

#include <pistache/http.h>

#include <string>

namespace latchkey::host {

// Query values are percent-decoded, header names lower-cased; `remote_address` is the TCP peer.
HttpRequest to_plain_request(const Pistache::Http::Request& request, std::string remote_address);

}  // namespace latchkey::host
