// Encryption at rest of signing keys' private parts: AES-256-GCM (Botan) under a key derived with
// HKDF-SHA-256 from tokens.key_encryption_key, each ciphertext bound to its kid as associated data,
// so a ciphertext copied onto another row does not decrypt.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <botan/secmem.h>

namespace latchkey::keys {

class KeyEncryption {
 public:
  static constexpr std::size_t kMinSecretBytes = 32;

  // nullopt when the secret is shorter than kMinSecretBytes.
  static std::optional<KeyEncryption> from_secret(std::string_view key_encryption_key);

  // "v1." + base64 of a fresh 96-bit nonce, the ciphertext and the 128-bit tag: text, so that it
  // travels through every backend's TEXT column unchanged.
  std::string encrypt(std::string_view kid, const Botan::secure_vector<std::uint8_t>& plaintext) const;

  // nullopt when the text is malformed, or the tag does not verify: another encryption key,
  // another kid, or a changed byte.
  std::optional<Botan::secure_vector<std::uint8_t>> decrypt(std::string_view kid, std::string_view sealed) const;

 private:
  explicit KeyEncryption(Botan::secure_vector<std::uint8_t> aes_key) : aes_key_(std::move(aes_key)) {}
  Botan::secure_vector<std::uint8_t> aes_key_;
};

}  // namespace latchkey::keys
