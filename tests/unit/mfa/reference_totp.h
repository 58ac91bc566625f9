// An independent TOTP (RFC 6238 / RFC 4226) for the tests: HMAC by Botan's MAC, the dynamic
// truncation and the time steps written out here, so that the plugin's use of Botan::TOTP is
// checked against something that does not share its code.
#pragma once

#include <botan/base32.h>
#include <botan/mac.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace latchkey::test {

inline std::string reference_hotp(const std::vector<uint8_t>& key, uint64_t counter, int digits = 6) {
  auto hmac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-1)");
  hmac->set_key(key);
  uint8_t message[8];
  for (int i = 7; i >= 0; --i) {
    message[i] = static_cast<uint8_t>(counter & 0xFF);
    counter >>= 8;
  }
  hmac->update(message, sizeof message);
  const auto mac = hmac->final();
  const int offset = mac[19] & 0x0F;
  const uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7F) << 24) | (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                          (static_cast<uint32_t>(mac[offset + 2]) << 8) | static_cast<uint32_t>(mac[offset + 3]);
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  char text[16];
  std::snprintf(text, sizeof text, "%0*u", digits, static_cast<unsigned>(binary % modulus));
  return text;
}

inline std::string reference_totp(const std::vector<uint8_t>& key, int64_t unix_time, int digits = 6) {
  return reference_hotp(key, static_cast<uint64_t>(unix_time / 30), digits);
}

// The key of an otpauth secret (base32, maybe without padding).
inline std::vector<uint8_t> key_of_base32(std::string text) {
  while (text.size() % 8 != 0) text.push_back('=');
  const auto bytes = Botan::base32_decode(text);
  return {bytes.begin(), bytes.end()};
}

}  // namespace latchkey::test
