// Encoders of what an authenticator and a browser produce, for the software authenticator and for
// tests that build a response with one field changed: authenticator data, attestation objects,
// COSE keys (libcbor's encoder), clientDataJSON and the credential JSON of a request body
// (RapidJSON's writer). Binary values are bytes in std::string.
#pragma once

#include "webauthn/ceremony.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace latchkey::webauthn::testing {

inline constexpr uint8_t kFlagUp = 0x01;
inline constexpr uint8_t kFlagUv = 0x04;
inline constexpr uint8_t kFlagAt = 0x40;
inline constexpr uint8_t kFlagEd = 0x80;

std::string sha256(std::string_view bytes);
std::string base64url(std::string_view bytes);
std::string base64url_decode_or_throw(std::string_view text);

struct AttestedData {
  std::string aaguid = std::string(16, '\0');
  std::string credential_id;
  std::string cose_key;  // CBOR bytes
};
std::string encode_authenticator_data(std::string_view rp_id_hash, uint8_t flags, uint32_t sign_count,
                                      const std::optional<AttestedData>& attested = std::nullopt,
                                      std::string_view extensions_cbor = {});
// {"fmt": format, "attStmt": statement (CBOR bytes of a map; default {}), "authData": bytes}.
std::string encode_attestation_object(std::string_view authenticator_data, std::string_view format = "none",
                                      std::string_view statement_cbor = "\xa0");
// {"type","challenge","origin","crossOrigin"} as Chromium orders them.
std::string encode_client_data(std::string_view type, std::string_view challenge, std::string_view origin,
                               bool cross_origin = false);
// COSE keys from their parts (a test may give any alg, kty or crv).
std::string encode_ec2_cose_key(int64_t alg, int64_t crv, std::string_view x, std::string_view y);
std::string encode_okp_cose_key(int64_t alg, int64_t crv, std::string_view x);
std::string encode_rsa_cose_key(int64_t alg, std::string_view n, std::string_view e);

// The `credential` object of a request body (toJSON form) for a response.
std::string registration_json(const RegistrationResponse& response);
std::string assertion_json(const AssertionResponse& response);

}  // namespace latchkey::webauthn::testing
