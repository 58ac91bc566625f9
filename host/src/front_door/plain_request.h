// Converts Pistache's parsed request into the plain value the pipeline works on.
#pragma once

#include "address_range.h"
#include "http_types.h"

#include <pistache/http.h>

#include <string_view>
#include <vector>

namespace latchkey::host {

// The host's own front door: Pistache parsed the request line, the body and the cookies; the
// header fields are `headers`, views into the head the connection gate checked. Query values are
// percent-decoded. `peer` is the TCP peer's address; when it is one of trusted_proxies, the client
// address and origin come from its X-Forwarded-* headers (front_door/client_address.h).
HttpRequest to_plain_request(const Pistache::Http::Request& request, RequestHeaders headers, std::string_view peer,
                             const std::vector<AddressRange>& trusted_proxies);

// A request an application's own Pistache server parsed whole (embedding): the header fields are
// copied from Pistache's list, which keeps each name's first line.
HttpRequest to_plain_request(const Pistache::Http::Request& request, std::string_view peer,
                             const std::vector<AddressRange>& trusted_proxies);

}  // namespace latchkey::host
