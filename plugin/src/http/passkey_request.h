// What the passkey routes and the second-factor routes read alike from a request: the relying
// party it addresses, and the `credential` member of its body (strict, bounded).
#pragma once

#include "http/exchange.h"
#include "http/plugin_state.h"
#include "webauthn/ceremony.h"
#include "webauthn/relying_party.h"

#include <rapidjson/document.h>

#include <cstddef>
#include <optional>

namespace latchkey::http {

// How deeply a body carrying a credential may nest: {credential: {response: {transports: [..]}}}
// is 4, clientExtensionResults may add one or two.
inline constexpr size_t kCredentialBodyDepth = 6;

// webauthn.rp_id / origins, else this request's origin (the host's, or a trusted proxy's).
webauthn::RelyingPartySite relying_party(const PluginState& state, const Exchange& exchange);

// body.credential read as a registration or an assertion; nullopt after answering 400.
std::optional<webauthn::RegistrationResponse> registration_field(Exchange& exchange, const rapidjson::Document& body);
std::optional<webauthn::AssertionResponse> assertion_field(Exchange& exchange, const rapidjson::Document& body);

}  // namespace latchkey::http
