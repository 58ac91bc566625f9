// Strict base64url without padding (RFC 7515 §2, RFC 4648 §5), the only encoding in a compact JWS.
#pragma once

#include <cstddef>
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

// The room base64url_decode_into asks for `encoded_size` characters: whole 3-byte groups, so up to
// two bytes more than the text decodes to (a bound that needs no look at the text).
constexpr std::size_t base64url_decode_room(std::size_t encoded_size) { return (encoded_size + 3) / 4 * 3; }

// The same decoding into `out` (at least base64url_decode_room(text.size()) bytes, else nullopt),
// without allocating: the number of bytes decoded, or nullopt where base64url_decode gives it.
std::optional<std::size_t> base64url_decode_into(std::string_view text, std::span<std::uint8_t> out);

// The decoded bytes as a string (a JWS payload is JSON text), with one allocation.
std::optional<std::string> base64url_decode_text(std::string_view text);

}  // namespace latchkey::jwt
