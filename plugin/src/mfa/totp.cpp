// Botan computes the codes; this file only picks the steps and compares.
#include "mfa/totp.h"

#include "store/token_hash.h"

#include <botan/base32.h>
#include <botan/otp.h>
#include <botan/system_rng.h>

#include <cstdio>

namespace latchkey::mfa {
namespace {

std::string six_digits(uint32_t code) {
  char text[8];
  std::snprintf(text, sizeof text, "%06u", static_cast<unsigned>(code));
  return text;
}

// RFC 3986 unreserved characters stay; everything else (":" and "@" too) is %XX.
std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') || byte == '-' ||
        byte == '.' || byte == '_' || byte == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
  return out;
}

}  // namespace

Botan::secure_vector<uint8_t> new_totp_secret() { return Botan::system_rng().random_vec(kTotpSecretBytes); }

std::string base32_secret(const Botan::secure_vector<uint8_t>& secret) {
  std::string text = Botan::base32_encode(secret.data(), secret.size());
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

bool is_totp_code(std::string_view code) {
  if (code.size() != kTotpDigits) return false;
  for (const char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<int64_t> matching_totp_step(const Botan::secure_vector<uint8_t>& secret, std::string_view code,
                                          int64_t unix_time) {
  if (!is_totp_code(code) || unix_time < 0) return std::nullopt;
  Botan::TOTP totp(secret.data(), secret.size(), "SHA-1", kTotpDigits, kTotpStepSeconds);
  const int64_t current = unix_time / kTotpStepSeconds;
  std::optional<int64_t> matched;
  for (int64_t step = current - kTotpDriftSteps; step <= current + kTotpDriftSteps; ++step) {
    if (step < 0) continue;
    const std::string expected = six_digits(totp.generate_totp(static_cast<uint64_t>(step * kTotpStepSeconds)));
    // No early exit: every step is computed and compared whatever matched.
    if (store::constant_time_equal(expected, code) && !matched) matched = step;
  }
  return matched;
}

std::string otpauth_uri(std::string_view issuer, std::string_view email, std::string_view base32) {
  const std::string encoded_issuer = percent_encode(issuer);
  return "otpauth://totp/" + encoded_issuer + ":" + percent_encode(email) + "?secret=" + std::string(base32) +
         "&issuer=" + encoded_issuer;
}

}  // namespace latchkey::mfa
