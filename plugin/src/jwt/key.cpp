// Key loading, signing and verification on Botan; the one place that knows each algorithm's
// Botan padding and signature size.
#include "jwt/key.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <botan/bigint.h>
#include <botan/data_src.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/hash.h>
#include <botan/mac.h>
#include <botan/mem_ops.h>
#include <botan/pk_keys.h>
#include <botan/pkcs8.h>
#include <botan/pubkey.h>
#include <botan/system_rng.h>
#include <botan/x509_key.h>

#include "jwt/base64url.h"

namespace latchkey::jwt {
namespace {

const std::uint8_t* bytes_of(std::string_view text) {
  return reinterpret_cast<const std::uint8_t*>(text.data());
}

std::size_t signature_size(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::HS256: return 32;
    case Algorithm::EdDSA: return 64;
    case Algorithm::ES256: return 64;
  }
  return 0;
}

// Botan's name for how each algorithm encodes the message before the signature primitive.
std::string botan_padding(Algorithm algorithm) {
  return algorithm == Algorithm::ES256 ? "EMSA1(SHA-256)" : "Pure";
}

Botan::secure_vector<std::uint8_t> hmac_sha256(const Botan::secure_vector<std::uint8_t>& secret,
                                               std::string_view message) {
  const auto mac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
  mac->set_key(secret);
  mac->update(bytes_of(message), message.size());
  return mac->final();
}

// Which of our algorithms a Botan key is for, if any (an RSA or P-384 key is not).
std::optional<Algorithm> algorithm_of(const Botan::Public_Key& key) {
  if (key.algo_name() == "Ed25519") return Algorithm::EdDSA;
  if (key.algo_name() == "ECDSA") {
    const auto* ec = dynamic_cast<const Botan::EC_PublicKey*>(&key);
    if (ec != nullptr && ec->domain() == Botan::EC_Group("secp256r1")) return Algorithm::ES256;
  }
  return std::nullopt;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string thumbprint(const PublicJwk& jwk) {  // RFC 7638: required members, sorted, no spaces
  std::string canonical = "{\"crv\":\"" + jwk.crv + "\",\"kty\":\"" + jwk.kty + "\",\"x\":\"" + jwk.x;
  canonical += jwk.kty == "EC" ? "\",\"y\":\"" + jwk.y + "\"}" : "\"}";
  const auto sha256 = Botan::HashFunction::create_or_throw("SHA-256");
  return base64url_encode(std::span<const std::uint8_t>(sha256->process(canonical)));
}

}  // namespace

Key::Key(Algorithm algorithm, std::string kid, Botan::secure_vector<std::uint8_t> secret,
         std::shared_ptr<const Botan::Private_Key> private_key,
         std::shared_ptr<const Botan::Public_Key> public_key)
    : algorithm_(algorithm), kid_(std::move(kid)), secret_(std::move(secret)),
      private_key_(std::move(private_key)), public_key_(std::move(public_key)) {}

KeyResult Key::from_hmac_secret(std::string_view secret, std::string kid) {
  if (secret.size() < kMinHmacSecretBytes) {
    return {std::nullopt, "HS256 secret is " + std::to_string(secret.size()) +
                              " bytes; at least 32 bytes are required"};
  }
  Botan::secure_vector<std::uint8_t> bytes(bytes_of(secret), bytes_of(secret) + secret.size());
  if (kid.empty()) {
    // Domain-separated so the kid is not a plain SHA-256 of the secret; 96 bits tell keys apart.
    const auto sha256 = Botan::HashFunction::create_or_throw("SHA-256");
    sha256->update("latchkey HS256 kid\n");
    sha256->update(bytes);
    const auto digest = sha256->final();
    kid = "hs-" + base64url_encode(std::span<const std::uint8_t>(digest.data(), 12));
  }
  return {Key(Algorithm::HS256, std::move(kid), std::move(bytes), nullptr, nullptr), {}};
}

KeyResult Key::from_asymmetric(std::shared_ptr<const Botan::Private_Key> private_key,
                               std::shared_ptr<const Botan::Public_Key> public_key,
                               std::string kid) {
  const auto algorithm = algorithm_of(*public_key);
  if (!algorithm) {
    return {std::nullopt, "unsupported key type " + public_key->algo_name() +
                              ": expected Ed25519 (EdDSA) or ECDSA on P-256 (ES256)"};
  }
  Key key(*algorithm, std::move(kid), {}, std::move(private_key), std::move(public_key));
  if (key.kid_.empty()) key.kid_ = thumbprint(*key.public_jwk());
  return {std::move(key), {}};
}

KeyResult Key::from_private_pem(std::string_view pkcs8_pem, std::string kid) {
  try {
    Botan::DataSource_Memory source(bytes_of(pkcs8_pem), pkcs8_pem.size());
    std::shared_ptr<const Botan::Private_Key> key = Botan::PKCS8::load_key(source);
    if (!key->check_key(Botan::system_rng(), false)) {
      return {std::nullopt, "private key fails its consistency check"};
    }
    return from_asymmetric(key, key, std::move(kid));
  } catch (const std::exception& e) {
    return {std::nullopt, std::string("not a PKCS#8 private key: ") + e.what()};
  }
}

KeyResult Key::from_public_pem(std::string_view spki_pem, std::string kid) {
  try {
    Botan::DataSource_Memory source(bytes_of(spki_pem), spki_pem.size());
    std::shared_ptr<const Botan::Public_Key> key(Botan::X509::load_key(source));
    return from_asymmetric(nullptr, std::move(key), std::move(kid));
  } catch (const std::exception& e) {
    return {std::nullopt, std::string("not a SubjectPublicKeyInfo public key: ") + e.what()};
  }
}

KeyResult Key::from_private_pem_file(const std::string& path, std::string kid) {
  const auto text = read_file(path);
  if (!text) return {std::nullopt, "cannot read key file " + path};
  KeyResult result = from_private_pem(*text, std::move(kid));
  if (!result.key) result.error = path + ": " + result.error;
  return result;
}

KeyResult Key::from_public_pem_file(const std::string& path, std::string kid) {
  const auto text = read_file(path);
  if (!text) return {std::nullopt, "cannot read key file " + path};
  KeyResult result = from_public_pem(*text, std::move(kid));
  if (!result.key) result.error = path + ": " + result.error;
  return result;
}

bool Key::can_sign() const { return algorithm_ == Algorithm::HS256 || private_key_ != nullptr; }

std::vector<std::uint8_t> Key::sign(std::string_view signing_input) const {
  if (algorithm_ == Algorithm::HS256) {
    const auto tag = hmac_sha256(secret_, signing_input);
    return {tag.begin(), tag.end()};
  }
  if (!private_key_) throw std::logic_error("jwt key '" + kid_ + "' is verify-only");
  Botan::PK_Signer signer(*private_key_, Botan::system_rng(), botan_padding(algorithm_),
                          Botan::IEEE_1363);
  return signer.sign_message(bytes_of(signing_input), signing_input.size(), Botan::system_rng());
}

bool Key::verify(std::string_view signing_input, std::span<const std::uint8_t> signature) const {
  if (signature.size() != signature_size(algorithm_)) return false;
  try {
    if (algorithm_ == Algorithm::HS256) {
      const auto tag = hmac_sha256(secret_, signing_input);
      return tag.size() == signature.size() &&
             Botan::constant_time_compare(tag.data(), signature.data(), tag.size());
    }
    Botan::PK_Verifier verifier(*public_key_, botan_padding(algorithm_), Botan::IEEE_1363);
    return verifier.verify_message(bytes_of(signing_input), signing_input.size(),
                                   signature.data(), signature.size());
  } catch (const std::exception&) {
    return false;  // a malformed signature is just a wrong one
  }
}

std::optional<PublicJwk> Key::public_jwk() const {
  switch (algorithm_) {
    case Algorithm::HS256:
      return std::nullopt;
    case Algorithm::EdDSA: {
      const auto& ed = dynamic_cast<const Botan::Ed25519_PublicKey&>(*public_key_);
      return PublicJwk{"OKP", "Ed25519", base64url_encode(ed.get_public_key()), {}};
    }
    case Algorithm::ES256: {
      const auto& point = dynamic_cast<const Botan::EC_PublicKey&>(*public_key_).public_point();
      const auto x = Botan::BigInt::encode_1363(point.get_affine_x(), 32);
      const auto y = Botan::BigInt::encode_1363(point.get_affine_y(), 32);
      return PublicJwk{"EC", "P-256", base64url_encode(std::span<const std::uint8_t>(x)),
                       base64url_encode(std::span<const std::uint8_t>(y))};
    }
  }
  return std::nullopt;
}

std::optional<std::string> generate_private_key_pem(Algorithm algorithm) {
  auto& rng = Botan::system_rng();
  switch (algorithm) {
    case Algorithm::HS256: return std::nullopt;
    case Algorithm::EdDSA: return Botan::PKCS8::PEM_encode(Botan::Ed25519_PrivateKey(rng));
    case Algorithm::ES256:
      return Botan::PKCS8::PEM_encode(Botan::ECDSA_PrivateKey(rng, Botan::EC_Group("secp256r1")));
  }
  return std::nullopt;
}

}  // namespace latchkey::jwt
