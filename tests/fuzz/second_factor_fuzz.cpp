// What a user types as a second factor, and a stored TOTP secret read back (mfa/): a recovery
// code's canonical form is a fixed point, "xxxxx-xxxxx" in lower-case base32; a TOTP code is six
// ASCII digits, and a code that is not never matches; a sealed secret that is not one we sealed
// (any bytes from the database) opens to nothing, and one we sealed opens only for its user.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "config/auth_config.h"
#include "mfa/recovery_codes.h"
#include "mfa/totp.h"
#include "mfa/totp_secret_box.h"

namespace {

const latchkey::mfa::TotpSecretBox& box() {
  static const latchkey::mfa::TotpSecretBox instance = [] {
    latchkey::config::AuthConfig config;
    config.mfa.encryption_key = "fuzzing-key-of-more-than-32-bytes-0123456789";
    return *latchkey::mfa::TotpSecretBox::from_config(config);
  }();
  return instance;
}

bool is_base32_lower(char c) { return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view typed(reinterpret_cast<const char*>(data), size);

  if (const std::optional<std::string> canonical = latchkey::mfa::canonical_recovery_code(typed)) {
    if (canonical->size() != 11 || (*canonical)[5] != '-') std::abort();
    for (std::size_t i = 0; i < canonical->size(); ++i) {
      if (i != 5 && !is_base32_lower((*canonical)[i])) std::abort();
    }
    if (latchkey::mfa::canonical_recovery_code(*canonical) != canonical) std::abort();
  }

  const bool six_digits = typed.size() == 6 && typed.find_first_not_of("0123456789") == std::string_view::npos;
  if (latchkey::mfa::is_totp_code(typed) != six_digits) std::abort();
  static const Botan::secure_vector<uint8_t> secret(latchkey::mfa::kTotpSecretBytes, 0x42);
  if (!six_digits && latchkey::mfa::matching_totp_step(secret, typed, 1800000000)) std::abort();

  if (box().open("user-1", typed)) std::abort();  // never sealed by us: cannot open
  const std::string sealed = box().seal("user-1", Botan::secure_vector<uint8_t>(data, data + size));
  const auto opened = box().open("user-1", sealed);
  if (!opened || opened->size() != size || !std::equal(opened->begin(), opened->end(), data)) std::abort();
  if (box().open("user-2", sealed)) std::abort();
  return 0;
}
