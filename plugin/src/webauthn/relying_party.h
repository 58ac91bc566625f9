// Who the passkeys belong to (CONTRACT §10 config `webauthn`): the RP id and name, and the origins
// a ceremony may come from. Unset in the config, they follow the request's own origin (the host's,
// or the one a trusted proxy forwarded), so a host needs no config to serve passkeys on its name.
#pragma once

#include "config/auth_config.h"
#include "webauthn/ceremony.h"

#include <string>
#include <string_view>

namespace latchkey::webauthn {

struct RelyingPartySite {
  RelyingParty rp;   // id and origins, as the ceremonies check them
  std::string name;  // what the browser shows when a passkey is made
};

// webauthn.rp_id, else the host name of request_origin; webauthn.origins, else request_origin.
RelyingPartySite relying_party_for(const config::WebAuthnConfig& config, std::string_view request_origin);

// "http://localhost:8080" → "localhost", "https://Example.com" → "example.com", "http://[::1]:80" →
// "[::1]"; "" when it is not scheme://host[:port].
std::string host_of_origin(std::string_view origin);

}  // namespace latchkey::webauthn
