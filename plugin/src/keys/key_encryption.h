// Encryption at rest of signing keys' private parts: AES-256-GCM (Botan) under a key derived with
// HKDF-SHA-256 from tokens.key_encryption_key, each ciphertext bound to its kid as associated data,
// so a ciphertext copied onto another row does not decrypt. Another use of the same secret (TOTP
// secrets, mfa/totp_secret_box.h) takes its own EncryptionDomain: another HKDF salt, another
// associated-data prefix.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <botan/secmem.h>

namespace latchkey::keys {

// What separates one use of the secret from another: the HKDF salt (RFC 5869 §3.1) and the text
// the associated data starts with (the id the ciphertext is bound to follows it).
struct EncryptionDomain {
  std::string_view salt;
  std::string_view associated_prefix;
};
inline constexpr EncryptionDomain kSigningKeyDomain{"latchkey signing keys", "latchkey signing key kid="};

class KeyEncryption {
 public:
  static constexpr std::size_t kMinSecretBytes = 32;

  // nullopt when the secret is shorter than kMinSecretBytes.
  static std::optional<KeyEncryption> from_secret(std::string_view key_encryption_key,
                                                  EncryptionDomain domain = kSigningKeyDomain);

  // "v1." + base64 of a fresh 96-bit nonce, the ciphertext and the 128-bit tag: text, so that it
  // travels through every backend's TEXT column unchanged.
  std::string encrypt(std::string_view kid, const Botan::secure_vector<std::uint8_t>& plaintext) const;

  // nullopt when the text is malformed, or the tag does not verify: another encryption key,
  // another kid, or a changed byte.
  std::optional<Botan::secure_vector<std::uint8_t>> decrypt(std::string_view kid, std::string_view sealed) const;

 private:
  KeyEncryption(Botan::secure_vector<std::uint8_t> aes_key, std::string_view associated_prefix)
      : aes_key_(std::move(aes_key)), associated_prefix_(associated_prefix) {}
  Botan::secure_vector<std::uint8_t> aes_key_;
  std::string associated_prefix_;
};

}  // namespace latchkey::keys
