// Random bytes from the system RNG, encoded with Botan's base32 and grouped in two fives.
#include "mfa/recovery_codes.h"

#include "keys/key_encryption.h"

#include <botan/base32.h>
#include <botan/hex.h>
#include <botan/kdf.h>
#include <botan/mac.h>
#include <botan/system_rng.h>

#include <algorithm>
#include <cctype>

namespace latchkey::mfa {
namespace {

constexpr std::size_t kCodeChars = 10;  // 50 bits: base32 of 7 bytes gives 12 characters, we keep 10

bool is_base32_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'); }

}  // namespace

std::vector<std::string> new_recovery_codes(std::size_t count) {
  std::vector<std::string> codes;
  while (codes.size() < count) {
    const auto bytes = Botan::system_rng().random_vec(7);
    std::string text = Botan::base32_encode(bytes.data(), bytes.size()).substr(0, kCodeChars);
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string code = text.substr(0, 5) + "-" + text.substr(5);
    // Ten distinct codes: a repeat (one chance in 2^50) would leave nine usable ones.
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(std::move(code));
  }
  return codes;
}

std::optional<std::string> canonical_recovery_code(std::string_view typed) {
  while (!typed.empty() && typed.front() == ' ') typed.remove_prefix(1);
  while (!typed.empty() && typed.back() == ' ') typed.remove_suffix(1);
  std::string letters;
  bool hyphen = false;
  for (const char c : typed) {
    if (c == '-' && letters.size() == 5 && !hyphen) {
      hyphen = true;  // one, between the two groups
      continue;
    }
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!is_base32_char(lower) || letters.size() == kCodeChars) return std::nullopt;
    letters.push_back(lower);
  }
  if (letters.size() != kCodeChars) return std::nullopt;
  return letters.substr(0, 5) + "-" + letters.substr(5);
}

std::optional<RecoveryCodeKey> RecoveryCodeKey::from_secret(std::string_view secret) {
  if (secret.size() < keys::KeyEncryption::kMinSecretBytes) return std::nullopt;
  const auto hkdf = Botan::KDF::create_or_throw("HKDF(SHA-256)");
  constexpr std::string_view salt = "latchkey recovery codes";  // not the TOTP secrets' or the signing keys'
  return RecoveryCodeKey(hkdf->derive_key(32, reinterpret_cast<const uint8_t*>(secret.data()), secret.size(),
                                          reinterpret_cast<const uint8_t*>(salt.data()), salt.size()));
}

std::string RecoveryCodeKey::hash(std::string_view user_id, std::string_view canonical) const {
  const auto hmac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
  hmac->set_key(key_);
  hmac->update(reinterpret_cast<const uint8_t*>(user_id.data()), user_id.size());
  hmac->update(uint8_t{0});  // no user id || code can be read as another pair
  hmac->update(reinterpret_cast<const uint8_t*>(canonical.data()), canonical.size());
  return Botan::hex_encode(hmac->final(), false);
}

}  // namespace latchkey::mfa
