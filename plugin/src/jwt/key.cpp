// Key loading, signing and verification on Botan; the one place that knows each algorithm's
// Botan padding and signature size.
#include "jwt/key.h"

#include <array>
#include <fstream>
#include <mutex>
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
#include <botan/rsa.h>
#include <botan/system_rng.h>
#include <botan/x509_key.h>

#include "jwt/base64url.h"

namespace latchkey::jwt {
namespace {

const std::uint8_t* bytes_of(std::string_view text) {
  return reinterpret_cast<const std::uint8_t*>(text.data());
}

// The exact signature length; for RS256 the modulus length in bytes (RFC 7518 §3.3).
std::size_t signature_size(Algorithm algorithm, const Botan::Public_Key* public_key) {
  switch (algorithm) {
    case Algorithm::HS256: return 32;
    case Algorithm::EdDSA: return 64;
    case Algorithm::ES256: return 64;
    case Algorithm::RS256: return public_key ? (public_key->key_length() + 7) / 8 : 0;
  }
  return 0;
}

// Botan's name for how each algorithm encodes the message before the signature primitive.
std::string botan_padding(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::ES256: return "EMSA1(SHA-256)";
    case Algorithm::RS256: return "EMSA3(SHA-256)";  // RSASSA-PKCS1-v1_5
    default: return "Pure";
  }
}

// Which of our algorithms a Botan key is for, if any (a P-384 key is not).
std::optional<Algorithm> algorithm_of(const Botan::Public_Key& key) {
  if (key.algo_name() == "Ed25519") return Algorithm::EdDSA;
  if (key.algo_name() == "RSA") return Algorithm::RS256;
  if (key.algo_name() == "ECDSA") {
    const auto* ec = dynamic_cast<const Botan::EC_PublicKey*>(&key);
    if (ec != nullptr && ec->domain() == Botan::EC_Group("secp256r1")) return Algorithm::ES256;
  }
  return std::nullopt;
}

// A PEM key is a few KiB (an 8192-bit RSA private key under 7); reading stops after this, so a
// config naming /dev/zero, a FIFO's writer or a huge file cannot exhaust memory (found by fuzzing).
constexpr std::size_t kMaxKeyFileBytes = 64 * 1024;

// The file's bytes, or nullopt when it cannot be read or holds more than kMaxKeyFileBytes.
std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text(kMaxKeyFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad() || static_cast<std::size_t>(in.gcount()) > kMaxKeyFileBytes) return std::nullopt;
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

std::string thumbprint(const PublicJwk& jwk) {  // RFC 7638: required members, sorted, no spaces
  std::string canonical;
  if (jwk.kty == "RSA") {
    canonical = "{\"e\":\"" + jwk.e + "\",\"kty\":\"RSA\",\"n\":\"" + jwk.n + "\"}";
  } else {
    canonical = "{\"crv\":\"" + jwk.crv + "\",\"kty\":\"" + jwk.kty + "\",\"x\":\"" + jwk.x;
    canonical += jwk.kty == "EC" ? "\",\"y\":\"" + jwk.y + "\"}" : "\"}";
  }
  const auto sha256 = Botan::HashFunction::create_or_throw("SHA-256");
  return base64url_encode(std::span<const std::uint8_t>(sha256->process(canonical)));
}

}  // namespace

// Keyed HMAC-SHA256 objects for one secret, reused: creating and keying one costs about as much as
// the MAC of a whole token (BM_Botan_Hmac: 10.2 µs per call created, 6.1 µs reused). final()
// leaves a Botan MAC keyed and reset for the next message. Shared by copies of the Key.
class HmacPool {
 public:
  explicit HmacPool(const Botan::secure_vector<std::uint8_t>& secret) : secret_(secret) {}

  static constexpr std::size_t kTagBytes = 32;
  using Tag = std::array<std::uint8_t, kTagBytes>;

  // Into the caller's array rather than a secure_vector: no allocation (Botan's locked pool, a
  // mutex) on every request. The caller scrubs it.
  void mac(std::string_view message, Tag& tag) {
    std::unique_ptr<Botan::MessageAuthenticationCode> hmac = take();
    hmac->update(bytes_of(message), message.size());
    hmac->final(tag.data());
    give_back(std::move(hmac));
  }

 private:
  static constexpr std::size_t kMaxIdle = 16;  // about one per worker thread

  std::unique_ptr<Botan::MessageAuthenticationCode> take() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        auto hmac = std::move(idle_.back());
        idle_.pop_back();
        return hmac;
      }
    }
    auto hmac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
    hmac->set_key(secret_);
    return hmac;
  }

  void give_back(std::unique_ptr<Botan::MessageAuthenticationCode> hmac) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(hmac));
  }

  const Botan::secure_vector<std::uint8_t> secret_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Botan::MessageAuthenticationCode>> idle_;
};

Key::Key(Algorithm algorithm, std::string kid, Botan::secure_vector<std::uint8_t> secret,
         std::shared_ptr<const Botan::Private_Key> private_key,
         std::shared_ptr<const Botan::Public_Key> public_key)
    : algorithm_(algorithm), kid_(std::move(kid)), secret_(std::move(secret)),
      hmacs_(algorithm == Algorithm::HS256 ? std::make_shared<HmacPool>(secret_) : nullptr),
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
                               std::string kid, bool rsa_allowed) {
  const auto algorithm = algorithm_of(*public_key);
  if (!algorithm || (*algorithm == Algorithm::RS256 && !rsa_allowed)) {
    return {std::nullopt, "unsupported key type " + public_key->algo_name() +
                              ": expected Ed25519 (EdDSA) or ECDSA on P-256 (ES256)"};
  }
  if (*algorithm == Algorithm::RS256) {
    const std::size_t bits = public_key->key_length();
    if (bits < kMinRsaModulusBits || bits > kMaxRsaModulusBits) {
      return {std::nullopt, "RSA modulus of " + std::to_string(bits) + " bits; 2048 to 8192 are accepted"};
    }
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

KeyResult Key::from_rsa_public(std::span<const std::uint8_t> n, std::span<const std::uint8_t> e,
                               std::string kid) {
  try {
    const Botan::BigInt modulus(n.data(), n.size());
    const Botan::BigInt exponent(e.data(), e.size());
    // e odd and 3 <= e < n (SP 800-56B §6.2 asks more; this is what a signature check needs).
    if (exponent < 3 || exponent.is_even() || exponent >= modulus || modulus.is_even()) {
      return {std::nullopt, "not a usable RSA public key (bad exponent or modulus)"};
    }
    return from_asymmetric(nullptr, std::make_shared<const Botan::RSA_PublicKey>(modulus, exponent),
                           std::move(kid), true);
  } catch (const std::exception& error) {
    return {std::nullopt, std::string("not an RSA public key: ") + error.what()};
  }
}

KeyResult Key::from_p256_public(std::span<const std::uint8_t> x, std::span<const std::uint8_t> y,
                                std::string kid) {
  if (x.size() != 32 || y.size() != 32) return {std::nullopt, "P-256 coordinates must be 32 bytes each"};
  try {
    const Botan::EC_Group group("secp256r1");
    const Botan::PointGFp point = group.point(Botan::BigInt(x.data(), x.size()), Botan::BigInt(y.data(), y.size()));
    if (point.is_zero() || !point.on_the_curve()) return {std::nullopt, "the point is not on P-256"};
    return from_asymmetric(nullptr, std::make_shared<const Botan::ECDSA_PublicKey>(group, point), std::move(kid));
  } catch (const std::exception& error) {
    return {std::nullopt, std::string("not a P-256 public key: ") + error.what()};
  }
}

KeyResult Key::from_rsa_private_pem(std::string_view pkcs8_pem, std::string kid) {
  try {
    Botan::DataSource_Memory source(bytes_of(pkcs8_pem), pkcs8_pem.size());
    std::shared_ptr<const Botan::Private_Key> key = Botan::PKCS8::load_key(source);
    if (key->algo_name() != "RSA") return {std::nullopt, "not an RSA private key"};
    return from_asymmetric(key, key, std::move(kid), true);
  } catch (const std::exception& e) {
    return {std::nullopt, std::string("not a PKCS#8 private key: ") + e.what()};
  }
}

KeyResult Key::from_private_pem_file(const std::string& path, std::string kid) {
  const auto text = read_file(path);
  if (!text) return {std::nullopt, "cannot read key file " + path + " (or it is over 64 KiB)"};
  KeyResult result = from_private_pem(*text, std::move(kid));
  if (!result.key) result.error = path + ": " + result.error;
  return result;
}

KeyResult Key::from_public_pem_file(const std::string& path, std::string kid) {
  const auto text = read_file(path);
  if (!text) return {std::nullopt, "cannot read key file " + path + " (or it is over 64 KiB)"};
  KeyResult result = from_public_pem(*text, std::move(kid));
  if (!result.key) result.error = path + ": " + result.error;
  return result;
}

bool Key::can_sign() const { return algorithm_ == Algorithm::HS256 || private_key_ != nullptr; }

std::vector<std::uint8_t> Key::sign(std::string_view signing_input) const {
  if (algorithm_ == Algorithm::HS256) {
    HmacPool::Tag tag;
    hmacs_->mac(signing_input, tag);
    std::vector<std::uint8_t> signature(tag.begin(), tag.end());
    Botan::secure_scrub_memory(tag.data(), tag.size());
    return signature;
  }
  if (!private_key_) throw std::logic_error("jwt key '" + kid_ + "' is verify-only");
  Botan::PK_Signer signer(*private_key_, Botan::system_rng(), botan_padding(algorithm_),
                          Botan::IEEE_1363);
  return signer.sign_message(bytes_of(signing_input), signing_input.size(), Botan::system_rng());
}

bool Key::verify(std::string_view signing_input, std::span<const std::uint8_t> signature) const {
  if (signature.size() != signature_size(algorithm_, public_key_.get())) return false;
  try {
    if (algorithm_ == Algorithm::HS256) {
      HmacPool::Tag tag;
      hmacs_->mac(signing_input, tag);
      const bool same = tag.size() == signature.size() &&
                        Botan::constant_time_compare(tag.data(), signature.data(), tag.size());
      Botan::secure_scrub_memory(tag.data(), tag.size());
      return same;
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
      return PublicJwk{"OKP", "Ed25519", base64url_encode(ed.get_public_key()), {}, {}, {}};
    }
    case Algorithm::ES256: {
      const auto& point = dynamic_cast<const Botan::EC_PublicKey&>(*public_key_).public_point();
      const auto x = Botan::BigInt::encode_1363(point.get_affine_x(), 32);
      const auto y = Botan::BigInt::encode_1363(point.get_affine_y(), 32);
      return PublicJwk{"EC", "P-256", base64url_encode(std::span<const std::uint8_t>(x)),
                       base64url_encode(std::span<const std::uint8_t>(y)), {}, {}};
    }
    case Algorithm::RS256: {
      const auto& rsa = dynamic_cast<const Botan::RSA_PublicKey&>(*public_key_);
      const auto n = Botan::BigInt::encode(rsa.get_n());
      const auto e = Botan::BigInt::encode(rsa.get_e());
      return PublicJwk{"RSA", {}, {}, {}, base64url_encode(std::span<const std::uint8_t>(n)),
                       base64url_encode(std::span<const std::uint8_t>(e))};
    }
  }
  return std::nullopt;
}

std::optional<std::string> generate_private_key_pem(Algorithm algorithm) {
  auto& rng = Botan::system_rng();
  switch (algorithm) {
    case Algorithm::HS256: return std::nullopt;
    case Algorithm::RS256: return std::nullopt;
    case Algorithm::EdDSA: return Botan::PKCS8::PEM_encode(Botan::Ed25519_PrivateKey(rng));
    case Algorithm::ES256:
      return Botan::PKCS8::PEM_encode(Botan::ECDSA_PrivateKey(rng, Botan::EC_Group("secp256r1")));
  }
  return std::nullopt;
}

}  // namespace latchkey::jwt
