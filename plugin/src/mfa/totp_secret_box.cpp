#include "mfa/totp_secret_box.h"

namespace latchkey::mfa {
namespace {

// Separates this use of the secret from the signing keys' (RFC 5869 §3.1) and names the user in
// the associated data.
constexpr keys::EncryptionDomain kTotpDomain{"latchkey totp secrets", "latchkey totp secret user="};

}  // namespace

std::optional<std::string> totp_encryption_secret(const config::AuthConfig& config) {
  if (config.tokens.key_encryption_key) return config.tokens.key_encryption_key;
  return config.mfa.encryption_key;
}

std::optional<TotpSecretBox> TotpSecretBox::from_config(const config::AuthConfig& config) {
  const auto secret = totp_encryption_secret(config);
  if (!secret) return std::nullopt;
  auto encryption = keys::KeyEncryption::from_secret(*secret, kTotpDomain);
  if (!encryption) return std::nullopt;
  return TotpSecretBox(std::move(*encryption));
}

std::string TotpSecretBox::seal(std::string_view user_id, const Botan::secure_vector<uint8_t>& secret) const {
  return encryption_.encrypt(user_id, secret);
}

std::optional<Botan::secure_vector<uint8_t>> TotpSecretBox::open(std::string_view user_id,
                                                                 std::string_view sealed) const {
  return encryption_.decrypt(user_id, sealed);
}

}  // namespace latchkey::mfa
