// Who the client is when the TCP peer may be a reverse proxy (CONTRACT §9 `trusted_proxies`):
// the address the throttles, logs and metrics.allow see, and the origin the CSRF check allows.
#pragma once

#include "address_range.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::host {

// The client address: the peer itself unless the peer is a trusted proxy. Then X-Forwarded-For
// (`forwarded_for`, nullopt when absent) is walked from the right: each trusted entry is one more
// proxy, the first untrusted one is the client. An entry that is not a bare IP address (a port, a
// name, "unknown", an empty slot) stops the walk at the last good address, so a malformed header
// never yields anything but an address a trusted proxy vouched for. A chain of trusted entries
// only gives its leftmost. Addresses from the header come back in canonical form.
std::string client_address(std::string_view peer, const std::optional<std::string_view>& forwarded_for,
                           const std::vector<AddressRange>& trusted_proxies);

// The origin the browser saw, "http(s)://host[:port]", from a trusted proxy's X-Forwarded-Proto
// (exactly "http" or "https") and X-Forwarded-Host (a host name, IPv4 or [IPv6] address, and an
// optional port 1-65535). The host is lower-cased and a scheme's default port dropped, as browsers
// write Origin. nullopt when either header is absent or malformed.
std::optional<std::string> forwarded_origin(std::string_view proto, std::string_view host);

}  // namespace latchkey::host
