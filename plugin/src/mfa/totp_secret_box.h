// TOTP secrets at rest: the mechanism of the database signing keys (keys/key_encryption.h,
// AES-256-GCM under an HKDF-derived key) in its own domain (another HKDF salt), each ciphertext
// bound to its user id, so that a secret copied onto another user's row does not decrypt.
#pragma once

#include "config/auth_config.h"
#include "keys/key_encryption.h"

#include <optional>
#include <string>
#include <string_view>

namespace latchkey::mfa {

// The secret the key is derived from: tokens.key_encryption_key when set, else mfa.encryption_key;
// nullopt when neither is (TOTP cannot be set up then).
std::optional<std::string> totp_encryption_secret(const config::AuthConfig& config);

class TotpSecretBox {
 public:
  // nullopt when the config has no usable secret (see totp_encryption_secret).
  static std::optional<TotpSecretBox> from_config(const config::AuthConfig& config);

  std::string seal(std::string_view user_id, const Botan::secure_vector<uint8_t>& secret) const;
  // nullopt for another user's ciphertext, another key, or a changed byte.
  std::optional<Botan::secure_vector<uint8_t>> open(std::string_view user_id, std::string_view sealed) const;

 private:
  explicit TotpSecretBox(keys::KeyEncryption encryption) : encryption_(std::move(encryption)) {}
  keys::KeyEncryption encryption_;
};

}  // namespace latchkey::mfa
