// TOTP per RFC 6238 with Botan's TOTP (SHA-1, 6 digits, 30 s steps): new secrets, their base32
// form for authenticator apps, and the check that tells which time step a code matched, so that a
// code already used (its step at or below the last one used) can be refused.
#pragma once

#include <botan/secmem.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace latchkey::mfa {

inline constexpr std::size_t kTotpSecretBytes = 20;  // 160 bits (RFC 4226 §4 recommends this)
inline constexpr int64_t kTotpStepSeconds = 30;
inline constexpr std::size_t kTotpDigits = 6;
inline constexpr int64_t kTotpDriftSteps = 1;  // a code of the previous or next step is accepted

// 160 bits from the system RNG.
Botan::secure_vector<uint8_t> new_totp_secret();

// RFC 4648 base32, upper case, without padding (160 bits are 32 characters exactly).
std::string base32_secret(const Botan::secure_vector<uint8_t>& secret);

// Exactly six ASCII digits.
bool is_totp_code(std::string_view code);

// The time step (unix_time / 30, ±1) whose code equals `code`, nullopt when none does or the code
// is not six digits. Every candidate step is computed and compared in constant time.
std::optional<int64_t> matching_totp_step(const Botan::secure_vector<uint8_t>& secret, std::string_view code,
                                          int64_t unix_time);

// otpauth://totp/ISSUER:EMAIL?secret=…&issuer=ISSUER (Key Uri Format), issuer and email percent-encoded.
std::string otpauth_uri(std::string_view issuer, std::string_view email, std::string_view base32);

}  // namespace latchkey::mfa
