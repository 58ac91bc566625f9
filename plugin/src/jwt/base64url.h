// Strict base64url without padding (RFC 7515 §2, RFC 4648 §5), the only encoding in a compact JWS.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::jwt {

std::string base64url_encode(std::span<const std::uint8_t> bytes);
std::string base64url_encode(std::string_view text);

// nullopt unless `text` is exactly what base64url_encode would produce for some bytes: only
// A-Z a-z 0-9 - _, no '=' padding, no whitespace, no impossible length, and the unused
// trailing bits of the last character zero (so each byte string has one encoding).
std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text);

}  // namespace latchkey::jwt
