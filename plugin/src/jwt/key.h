// One JWS key bound to exactly one algorithm (RFC 8725 §3.1): an HS256 secret, or an Ed25519 /
// P-256 / RSA key, private (signs and verifies) or public (verifies only). Also keygen for the CLI.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <botan/secmem.h>

#include "jwt/algorithm.h"

namespace Botan {
class Private_Key;
class Public_Key;
}  // namespace Botan

namespace latchkey::jwt {

struct KeyResult;
class HmacPool;

// The public half of an asymmetric key as JWK members (RFC 7518 §6.2-6.3, RFC 8037 §2), base64url.
struct PublicJwk {
  std::string kty;  // "OKP", "EC" or "RSA"
  std::string crv;  // "Ed25519" or "P-256"; empty for RSA
  std::string x;    // OKP and EC
  std::string y;    // EC only
  std::string n;    // RSA only: modulus, big-endian without leading zeros
  std::string e;    // RSA only: public exponent
};

class Key {
 public:
  static constexpr std::size_t kMinHmacSecretBytes = 32;  // RFC 8725 §3.5, CONTRACT §6
  static constexpr std::size_t kMinRsaModulusBits = 2048;  // RFC 7518 §3.3
  static constexpr std::size_t kMaxRsaModulusBits = 8192;  // bounds the cost of one verification

  // An empty `kid` is replaced by one derived from the key: the RFC 7638 thumbprint of the public
  // key, or for HS256 a truncated hash of the secret (which reveals nothing a token does not).
  static KeyResult from_hmac_secret(std::string_view secret, std::string kid = {});
  static KeyResult from_private_pem(std::string_view pkcs8_pem, std::string kid = {});
  static KeyResult from_public_pem(std::string_view spki_pem, std::string kid = {});
  static KeyResult from_private_pem_file(const std::string& path, std::string kid = {});
  static KeyResult from_public_pem_file(const std::string& path, std::string kid = {});
  // The PEM loaders above take Ed25519 and P-256 keys only, so configs never sign or verify our
  // own tokens with RSA. RS256 keys come from a provider's JWK members (big-endian bytes) ...
  static KeyResult from_rsa_public(std::span<const std::uint8_t> n, std::span<const std::uint8_t> e,
                                   std::string kid = {});
  static KeyResult from_p256_public(std::span<const std::uint8_t> x, std::span<const std::uint8_t> y,
                                    std::string kid = {});
  // ... or, to sign test tokens as an identity provider would, from a PKCS#8 RSA private key.
  static KeyResult from_rsa_private_pem(std::string_view pkcs8_pem, std::string kid = {});

  const std::string& kid() const { return kid_; }
  Algorithm algorithm() const { return algorithm_; }
  bool can_sign() const;

  // The signature of `signing_input` in JWS form (ES256: raw r||s). Throws std::logic_error on a
  // verify-only key: KeySet never hands one out for signing.
  std::vector<std::uint8_t> sign(std::string_view signing_input) const;

  // True only for a signature of exactly this algorithm's length that verifies; MACs are
  // compared in constant time.
  bool verify(std::string_view signing_input, std::span<const std::uint8_t> signature) const;

  // nullopt for HS256: secrets are never published.
  std::optional<PublicJwk> public_jwk() const;

 private:
  Key(Algorithm algorithm, std::string kid, Botan::secure_vector<std::uint8_t> secret,
      std::shared_ptr<const Botan::Private_Key> private_key,
      std::shared_ptr<const Botan::Public_Key> public_key);
  static KeyResult from_asymmetric(std::shared_ptr<const Botan::Private_Key> private_key,
                                   std::shared_ptr<const Botan::Public_Key> public_key,
                                   std::string kid, bool rsa_allowed = false);

  Algorithm algorithm_;
  std::string kid_;
  Botan::secure_vector<std::uint8_t> secret_;                 // HS256 only
  std::shared_ptr<HmacPool> hmacs_;                           // HS256 only: keyed MACs reused
  std::shared_ptr<const Botan::Private_Key> private_key_;     // null when verify-only
  std::shared_ptr<const Botan::Public_Key> public_key_;       // null for HS256
};

// `key` is set on success; otherwise `error` says why in one line fit for an operator.
struct KeyResult {
  std::optional<Key> key;
  std::string error;
};

// A fresh PKCS#8 PEM private key for EdDSA or ES256 (`latchkey-auth keygen`); nullopt for HS256
// and RS256 (never issued by Latchkey).
std::optional<std::string> generate_private_key_pem(Algorithm algorithm);

}  // namespace latchkey::jwt
