// The `credential` member of a request body: PublicKeyCredential.toJSON() of WebAuthn Level 3
// (base64url without padding), read into ceremony.h's response types with a limit on every field.
#include "jwt/base64url.h"
#include "webauthn/authenticator_data.h"
#include "webauthn/cbor_reader.h"
#include "webauthn/ceremony.h"
#include "webauthn/client_data.h"

namespace latchkey::webauthn {
namespace {

constexpr std::size_t kMaxSignatureBytes = 1024;  // an RSA-8192 signature
constexpr std::size_t kMaxUserHandleBytes = 64;   // §5.4.3: user.id is at most 64 bytes
constexpr std::size_t kMaxTransports = 8;
constexpr std::size_t kMaxTransportChars = 32;

// The base64url text of `name` in `object`, decoded, when it is a string of at most `max_bytes`
// decoded bytes.
std::optional<std::string> bytes_member(const rapidjson::Value& object, const char* name, std::size_t max_bytes) {
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd() || !member->value.IsString()) return std::nullopt;
  const std::string_view text(member->value.GetString(), member->value.GetStringLength());
  if (text.size() > (max_bytes * 4 + 2) / 3) return std::nullopt;  // before decoding anything
  const std::optional<std::vector<uint8_t>> bytes = jwt::base64url_decode(text);
  if (!bytes || bytes->size() > max_bytes) return std::nullopt;
  return std::string(bytes->begin(), bytes->end());
}

// id, rawId (the same text) and type "public-key"; the decoded rawId, and the response object.
std::optional<std::string> credential_id(const rapidjson::Value& credential) {
  if (!credential.IsObject()) return std::nullopt;
  const auto id = credential.FindMember("id");
  const auto raw_id = credential.FindMember("rawId");
  const auto type = credential.FindMember("type");
  const auto response = credential.FindMember("response");
  if (id == credential.MemberEnd() || raw_id == credential.MemberEnd() || type == credential.MemberEnd() ||
      response == credential.MemberEnd()) {
    return std::nullopt;
  }
  if (!id->value.IsString() || !raw_id->value.IsString() || !type->value.IsString() || !response->value.IsObject()) {
    return std::nullopt;
  }
  if (std::string_view(type->value.GetString(), type->value.GetStringLength()) != "public-key") return std::nullopt;
  if (id->value != raw_id->value) return std::nullopt;
  std::optional<std::string> raw = bytes_member(credential, "rawId", kMaxCredentialIdBytes);
  if (!raw || raw->empty()) return std::nullopt;
  return raw;
}

bool is_transport_name(const rapidjson::Value& value) {
  if (!value.IsString() || value.GetStringLength() == 0 || value.GetStringLength() > kMaxTransportChars) return false;
  for (const char c : std::string_view(value.GetString(), value.GetStringLength())) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

}  // namespace

std::optional<RegistrationResponse> read_registration_response(const rapidjson::Value& credential) {
  std::optional<std::string> id = credential_id(credential);
  if (!id) return std::nullopt;
  const rapidjson::Value& response = credential["response"];
  RegistrationResponse read;
  read.credential_id = std::move(*id);
  std::optional<std::string> client_data = bytes_member(response, "clientDataJSON", kMaxClientDataBytes);
  std::optional<std::string> attestation = bytes_member(response, "attestationObject", kMaxCborBytes);
  if (!client_data || !attestation) return std::nullopt;
  read.client_data_json = std::move(*client_data);
  read.attestation_object = std::move(*attestation);
  const auto transports = response.FindMember("transports");
  if (transports != response.MemberEnd()) {
    if (!transports->value.IsArray() || transports->value.Size() > kMaxTransports) return std::nullopt;
    for (const rapidjson::Value& transport : transports->value.GetArray()) {
      if (!is_transport_name(transport)) return std::nullopt;
      read.transports.emplace_back(transport.GetString(), transport.GetStringLength());
    }
  }
  return read;
}

std::optional<AssertionResponse> read_assertion_response(const rapidjson::Value& credential) {
  std::optional<std::string> id = credential_id(credential);
  if (!id) return std::nullopt;
  const rapidjson::Value& response = credential["response"];
  AssertionResponse read;
  read.credential_id = std::move(*id);
  std::optional<std::string> client_data = bytes_member(response, "clientDataJSON", kMaxClientDataBytes);
  std::optional<std::string> authenticator_data =
      bytes_member(response, "authenticatorData", kMaxAuthenticatorDataBytes);
  std::optional<std::string> signature = bytes_member(response, "signature", kMaxSignatureBytes);
  if (!client_data || !authenticator_data || !signature) return std::nullopt;
  read.client_data_json = std::move(*client_data);
  read.authenticator_data = std::move(*authenticator_data);
  read.signature = std::move(*signature);
  const auto user_handle = response.FindMember("userHandle");
  if (user_handle != response.MemberEnd() && !user_handle->value.IsNull()) {
    std::optional<std::string> handle = bytes_member(response, "userHandle", kMaxUserHandleBytes);
    if (!handle) return std::nullopt;
    if (!handle->empty()) read.user_handle = std::move(*handle);  // empty means none (§7.2 step 6)
  }
  return read;
}

}  // namespace latchkey::webauthn
