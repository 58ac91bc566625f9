// COSE_Key (RFC 9052 §7, RFC 9053) public keys of the three algorithms we accept, as Botan keys, and
// the signature check of an assertion. Every other algorithm, key type or curve is refused.
#pragma once

#include "webauthn/cbor_reader.h"
#include "webauthn/ceremony.h"

#include <botan/pk_keys.h>

#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace latchkey::webauthn {

inline constexpr std::size_t kMinRsaBits = 2048;
inline constexpr std::size_t kMaxRsaBits = 8192;  // bounds the cost of one verification

struct CoseKey {
  CoseAlgorithm algorithm = CoseAlgorithm::es256;
  std::shared_ptr<const Botan::Public_Key> key;
};

// Why a COSE_Key was not taken: `malformed` when it is not CBOR or not a map of the COSE shape (a
// member missing or of the wrong type, a key twice); `refused` when it is a well-formed key we do
// not accept (an algorithm not in CoseAlgorithm, kty or crv not the algorithm's, a point not on the
// curve, an RSA modulus under kMinRsaBits, a private member present).
struct CoseKeyError {
  Verdict verdict = Verdict::malformed;
  std::string reason;
};

using CoseKeyResult = std::variant<CoseKey, CoseKeyError>;

// Exactly one CBOR map, nothing after it.
CoseKeyResult parse_cose_key(std::string_view cbor);

// From a map already decoded (the one inside authenticator data).
CoseKeyResult cose_key_from_item(const cbor_item_t* map);

// The signature of `message` by `key` in WebAuthn's form: ES256 is ASN.1 DER (Ecdsa-Sig-Value, the
// canonical encoding only), EdDSA is the 64 bytes of RFC 8032, RS256 is RSASSA-PKCS1-v1_5 with
// SHA-256. False for a bad or malformed signature; never throws.
bool verify_signature(const CoseKey& key, std::string_view message, std::string_view signature);

}  // namespace latchkey::webauthn
