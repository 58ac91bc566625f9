// AES-256-GCM with Botan's AEAD mode; the AES key comes from HKDF-SHA-256, never the secret itself.
#include "keys/key_encryption.h"

#include <botan/aead.h>
#include <botan/base64.h>
#include <botan/kdf.h>
#include <botan/system_rng.h>

namespace latchkey::keys {
namespace {

constexpr std::string_view kFormat = "v1.";
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
// The label, with the domain's salt, separates this use of the secret from any other (RFC 5869 §3.1-3.2).
constexpr std::string_view kLabel = "AES-256-GCM key v1";

std::vector<std::uint8_t> associated_data(std::string_view prefix, std::string_view kid) {
  const std::string text = std::string(prefix) + std::string(kid);
  return {text.begin(), text.end()};
}

std::unique_ptr<Botan::AEAD_Mode> gcm(Botan::Cipher_Dir direction, const Botan::secure_vector<std::uint8_t>& key,
                                      std::string_view prefix, std::string_view kid) {
  auto mode = Botan::AEAD_Mode::create_or_throw("AES-256/GCM", direction);
  mode->set_key(key);
  mode->set_associated_data_vec(associated_data(prefix, kid));
  return mode;
}

}  // namespace

std::optional<KeyEncryption> KeyEncryption::from_secret(std::string_view key_encryption_key,
                                                        EncryptionDomain domain) {
  if (key_encryption_key.size() < kMinSecretBytes) return std::nullopt;
  const auto hkdf = Botan::KDF::create_or_throw("HKDF(SHA-256)");
  const auto* secret = reinterpret_cast<const std::uint8_t*>(key_encryption_key.data());
  return KeyEncryption(hkdf->derive_key(32, secret, key_encryption_key.size(),
                                        reinterpret_cast<const std::uint8_t*>(domain.salt.data()), domain.salt.size(),
                                        reinterpret_cast<const std::uint8_t*>(kLabel.data()), kLabel.size()),
                       domain.associated_prefix);
}

std::string KeyEncryption::encrypt(std::string_view kid, const Botan::secure_vector<std::uint8_t>& plaintext) const {
  const auto nonce = Botan::system_rng().random_vec(kNonceBytes);
  auto mode = gcm(Botan::ENCRYPTION, aes_key_, associated_prefix_, kid);
  mode->start(nonce);
  Botan::secure_vector<std::uint8_t> sealed = plaintext;
  mode->finish(sealed);
  sealed.insert(sealed.begin(), nonce.begin(), nonce.end());
  return std::string(kFormat) + Botan::base64_encode(sealed);
}

std::optional<Botan::secure_vector<std::uint8_t>> KeyEncryption::decrypt(std::string_view kid,
                                                                         std::string_view sealed) const {
  if (sealed.substr(0, kFormat.size()) != kFormat) return std::nullopt;
  try {
    Botan::secure_vector<std::uint8_t> bytes = Botan::base64_decode(std::string(sealed.substr(kFormat.size())));
    if (bytes.size() < kNonceBytes + kTagBytes) return std::nullopt;
    auto mode = gcm(Botan::DECRYPTION, aes_key_, associated_prefix_, kid);
    mode->start(bytes.data(), kNonceBytes);
    Botan::secure_vector<std::uint8_t> plaintext(bytes.begin() + kNonceBytes, bytes.end());
    mode->finish(plaintext);  // throws Invalid_Authentication_Tag when anything differs
    return plaintext;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace latchkey::keys
