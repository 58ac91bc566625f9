// Recovery codes: ten random codes shown once, "xxxxx-xxxxx" in lower-case base32 (50 bits each),
// kept only as keyed hashes of their canonical form, each usable once. 50 bits are too few for a
// plain SHA-256 (a stolen table could be searched in a GPU-day): the hash is an HMAC under a key
// the database does not hold, and names the user, so a table dump alone reveals no code.
#pragma once

#include <botan/secmem.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::mfa {

inline constexpr std::size_t kRecoveryCodeCount = 10;

std::vector<std::string> new_recovery_codes(std::size_t count = kRecoveryCodeCount);

// The canonical form of what a user typed: case and the hyphen do not matter; surrounding
// spaces neither. nullopt when it cannot be a recovery code (then no lookup is made).
std::optional<std::string> canonical_recovery_code(std::string_view typed);

// What the store keeps and looks up: HMAC-SHA-256, hex, of user id || 0x00 || canonical form, under
// a key derived (HKDF-SHA-256, its own salt) from the TOTP encryption secret (totp_secret_box.h).
class RecoveryCodeKey {
 public:
  // nullopt when the secret is shorter than keys::KeyEncryption::kMinSecretBytes.
  static std::optional<RecoveryCodeKey> from_secret(std::string_view secret);
  std::string hash(std::string_view user_id, std::string_view canonical) const;

 private:
  explicit RecoveryCodeKey(Botan::secure_vector<uint8_t> key) : key_(std::move(key)) {}
  Botan::secure_vector<uint8_t> key_;
};

}  // namespace latchkey::mfa
