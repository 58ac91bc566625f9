// The credential's own checks (types, base64url, sizes, id == rawId) are the ceremony module's
// (webauthn/ceremony.h read_*_response); this only finds the member and answers 400.
#include "http/passkey_request.h"

#include "http/route_support.h"

namespace latchkey::http {
namespace {

const rapidjson::Value* credential_member(Exchange& exchange, const rapidjson::Document& body) {
  const auto found = body.FindMember("credential");
  if (found == body.MemberEnd() || !found->value.IsObject()) {
    bad_request(exchange, "credential must be the PublicKeyCredential as JSON (toJSON())",
                {{"credential", found == body.MemberEnd() ? "required" : "must be an object"}});
    return nullptr;
  }
  return &found->value;
}

void not_a_credential(Exchange& exchange) {
  bad_request(exchange, "credential is not a PublicKeyCredential in its JSON form", {{"credential", "invalid"}});
}

}  // namespace

webauthn::RelyingPartySite relying_party(const PluginState& state, const Exchange& exchange) {
  return webauthn::relying_party_for(state.config.webauthn, exchange.local_origin());
}

std::optional<webauthn::RegistrationResponse> registration_field(Exchange& exchange, const rapidjson::Document& body) {
  const rapidjson::Value* credential = credential_member(exchange, body);
  if (!credential) return std::nullopt;
  auto response = webauthn::read_registration_response(*credential);
  if (!response) not_a_credential(exchange);
  return response;
}

std::optional<webauthn::AssertionResponse> assertion_field(Exchange& exchange, const rapidjson::Document& body) {
  const rapidjson::Value* credential = credential_member(exchange, body);
  if (!credential) return std::nullopt;
  auto response = webauthn::read_assertion_response(*credential);
  if (!response) not_a_credential(exchange);
  return response;
}

}  // namespace latchkey::http
