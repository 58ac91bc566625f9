// Converts Pistache's parsed request into the plain value the pipeline works on.
#pragma once

#include "address_range.h"
#include "http_types.h"

#include <pistache/http.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::host {

// Query values are percent-decoded, header names lower-cased. `peer` is the TCP peer's address;
// when it is one of trusted_proxies, the client address and origin come from its X-Forwarded-*
// headers (front_door/client_address.h). `forwarded_headers`, from the host's own head check,
// replace Pistache's first-line-only values of those names.
HttpRequest to_plain_request(const Pistache::Http::Request& request, std::string_view peer,
                             const std::vector<AddressRange>& trusted_proxies,
                             const std::map<std::string, std::string>& forwarded_headers = {});

}  // namespace latchkey::host
