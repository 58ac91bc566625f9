// COSE_Key labels and values are those of the IANA "COSE Key Common Parameters", "COSE Key Type
// Parameters" and "COSE Elliptic Curves" registries. Botan builds and checks the keys.
#include "webauthn/cose_key.h"

#include <botan/bigint.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>

#include <optional>

namespace latchkey::webauthn {
namespace {

constexpr int64_t kLabelKty = 1;
constexpr int64_t kLabelAlg = 3;
constexpr int64_t kLabelCrv = -1;  // EC2 and OKP
constexpr int64_t kLabelX = -2;    // EC2 and OKP
constexpr int64_t kLabelY = -3;    // EC2
constexpr int64_t kLabelD = -4;    // EC2 and OKP: the private key
constexpr int64_t kLabelN = -1;    // RSA
constexpr int64_t kLabelE = -2;    // RSA
constexpr int64_t kLabelRsaD = -3; // RSA: the private exponent, the first private member

constexpr int64_t kKtyOkp = 1;
constexpr int64_t kKtyEc2 = 2;
constexpr int64_t kKtyRsa = 3;
constexpr int64_t kCrvP256 = 1;
constexpr int64_t kCrvEd25519 = 6;
constexpr std::size_t kCoordinateBytes = 32;  // P-256 coordinates and Ed25519 keys
constexpr std::size_t kMaxRsaExponentBits = 256;

CoseKeyError malformed(std::string reason) { return {Verdict::malformed, std::move(reason)}; }
CoseKeyError refused(std::string reason) { return {Verdict::refused, std::move(reason)}; }

std::optional<CoseAlgorithm> accepted_algorithm(int64_t value) {
  switch (value) {
    case static_cast<int64_t>(CoseAlgorithm::es256): return CoseAlgorithm::es256;
    case static_cast<int64_t>(CoseAlgorithm::eddsa): return CoseAlgorithm::eddsa;
    case static_cast<int64_t>(CoseAlgorithm::rs256): return CoseAlgorithm::rs256;
    default: return std::nullopt;
  }
}

std::vector<uint8_t> to_vector(std::string_view bytes) { return {bytes.begin(), bytes.end()}; }

CoseKeyResult ec2_key(const cbor_item_t* map) {
  const std::optional<int64_t> crv = cbor_integer(cbor_map_value(map, kLabelCrv));
  const std::optional<std::string_view> x = cbor_bytes(cbor_map_value(map, kLabelX));
  const std::optional<std::string_view> y = cbor_bytes(cbor_map_value(map, kLabelY));
  if (!crv || !x || !y) return malformed("EC2 key without integer crv and byte-string x and y");
  if (*crv != kCrvP256) return refused("ES256 key not on P-256");
  if (cbor_map_value(map, kLabelD) != nullptr) return refused("COSE key holds a private key");
  if (x->size() != kCoordinateBytes || y->size() != kCoordinateBytes) return refused("P-256 coordinate not 32 bytes");
  try {
    const Botan::EC_Group group("secp256r1");
    std::vector<uint8_t> encoded{0x04};  // SEC 1 uncompressed point
    encoded.insert(encoded.end(), x->begin(), x->end());
    encoded.insert(encoded.end(), y->begin(), y->end());
    const Botan::PointGFp point = group.OS2ECP(encoded);  // throws for a point not on the curve
    if (point.is_zero() || !point.on_the_curve()) return refused("point not on P-256");
    return CoseKey{CoseAlgorithm::es256, std::make_shared<Botan::ECDSA_PublicKey>(group, point)};
  } catch (const std::exception&) {
    return refused("point not on P-256");
  }
}

CoseKeyResult okp_key(const cbor_item_t* map) {
  const std::optional<int64_t> crv = cbor_integer(cbor_map_value(map, kLabelCrv));
  const std::optional<std::string_view> x = cbor_bytes(cbor_map_value(map, kLabelX));
  if (!crv || !x) return malformed("OKP key without integer crv and byte-string x");
  if (*crv != kCrvEd25519) return refused("EdDSA key not on Ed25519");
  if (cbor_map_value(map, kLabelD) != nullptr) return refused("COSE key holds a private key");
  if (x->size() != kCoordinateBytes) return refused("Ed25519 key not 32 bytes");
  return CoseKey{CoseAlgorithm::eddsa, std::make_shared<Botan::Ed25519_PublicKey>(to_vector(*x))};
}

CoseKeyResult rsa_key(const cbor_item_t* map) {
  const std::optional<std::string_view> n = cbor_bytes(cbor_map_value(map, kLabelN));
  const std::optional<std::string_view> e = cbor_bytes(cbor_map_value(map, kLabelE));
  if (!n || !e) return malformed("RSA key without byte-string n and e");
  if (cbor_map_value(map, kLabelRsaD) != nullptr) return refused("COSE key holds a private key");
  const auto* n_bytes = reinterpret_cast<const uint8_t*>(n->data());
  const auto* e_bytes = reinterpret_cast<const uint8_t*>(e->data());
  if (n->size() > kMaxRsaBits / 8 + 1 || e->size() > kMaxRsaExponentBits / 8) return refused("RSA key too large");
  const Botan::BigInt modulus(n_bytes, n->size());
  const Botan::BigInt exponent(e_bytes, e->size());
  if (modulus.bits() < kMinRsaBits) return refused("RSA modulus under 2048 bits");
  if (modulus.bits() > kMaxRsaBits) return refused("RSA modulus over 8192 bits");
  if (modulus.is_even() || exponent < 3 || exponent.is_even() || exponent >= modulus) {
    return refused("RSA key not a valid public key");
  }
  return CoseKey{CoseAlgorithm::rs256, std::make_shared<Botan::RSA_PublicKey>(modulus, exponent)};
}

}  // namespace

CoseKeyResult parse_cose_key(std::string_view cbor) {
  const CborItem item = read_cbor(cbor);
  if (!item) return malformed("COSE key is not one well-formed CBOR item");
  return cose_key_from_item(item.get());
}

CoseKeyResult cose_key_from_item(const cbor_item_t* map) {
  if (!is_map_with_unique_keys(map)) return malformed("COSE key is not a map with unique keys");
  const cbor_item_t* kty_item = cbor_map_value(map, kLabelKty);
  const cbor_item_t* alg_item = cbor_map_value(map, kLabelAlg);
  if (kty_item == nullptr || alg_item == nullptr) return malformed("COSE key without kty or alg");
  const std::optional<int64_t> kty = cbor_integer(kty_item);
  const std::optional<int64_t> alg_value = cbor_integer(alg_item);
  const std::optional<CoseAlgorithm> alg = alg_value ? accepted_algorithm(*alg_value) : std::nullopt;
  if (!alg) return refused("COSE algorithm not accepted");
  switch (*alg) {
    case CoseAlgorithm::es256:
      if (kty != kKtyEc2) return refused("ES256 key whose kty is not EC2");
      return ec2_key(map);
    case CoseAlgorithm::eddsa:
      if (kty != kKtyOkp) return refused("EdDSA key whose kty is not OKP");
      return okp_key(map);
    case CoseAlgorithm::rs256:
      if (kty != kKtyRsa) return refused("RS256 key whose kty is not RSA");
      return rsa_key(map);
  }
  return refused("COSE algorithm not accepted");
}

bool verify_signature(const CoseKey& key, std::string_view message, std::string_view signature) {
  if (!key.key) return false;
  try {
    const auto* message_bytes = reinterpret_cast<const uint8_t*>(message.data());
    const auto* signature_bytes = reinterpret_cast<const uint8_t*>(signature.data());
    switch (key.algorithm) {
      case CoseAlgorithm::es256: {
        // WebAuthn's ECDSA signatures are DER; Botan takes them as such and insists on the
        // canonical encoding (it re-encodes and compares).
        Botan::PK_Verifier verifier(*key.key, "EMSA1(SHA-256)", Botan::DER_SEQUENCE);
        return verifier.verify_message(message_bytes, message.size(), signature_bytes, signature.size());
      }
      case CoseAlgorithm::eddsa: {
        if (signature.size() != 64) return false;
        Botan::PK_Verifier verifier(*key.key, "Pure");
        return verifier.verify_message(message_bytes, message.size(), signature_bytes, signature.size());
      }
      case CoseAlgorithm::rs256: {
        Botan::PK_Verifier verifier(*key.key, "EMSA3(SHA-256)");
        return verifier.verify_message(message_bytes, message.size(), signature_bytes, signature.size());
      }
    }
  } catch (const std::exception&) {
    return false;
  }
  return false;
}

}  // namespace latchkey::webauthn
