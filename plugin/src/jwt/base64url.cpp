// base64url on top of Botan's base64: we police the alphabet and canonical form, Botan decodes.
#include "jwt/base64url.h"

#include <algorithm>
#include <array>

#include <botan/base64.h>

namespace latchkey::jwt {
namespace {

constexpr std::string_view kStandardAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The 6-bit value of each byte as a base64url character, or -1 for anything outside the alphabet.
constexpr std::array<std::int8_t, 256> kSextet = [] {
  std::array<std::int8_t, 256> table{};
  table.fill(-1);
  for (std::size_t i = 0; i < 62; ++i) table[static_cast<unsigned char>(kStandardAlphabet[i])] = static_cast<std::int8_t>(i);
  table['-'] = 62;
  table['_'] = 63;
  return table;
}();

int sextet(char c) { return kSextet[static_cast<unsigned char>(c)]; }

// The standard-alphabet character of each base64url character, 0 for any other byte.
constexpr std::array<char, 256> kToStandard = [] {
  std::array<char, 256> table{};
  for (std::size_t c = 0; c < 256; ++c) {
    if (kSextet[c] >= 0) table[c] = kStandardAlphabet[static_cast<std::size_t>(kSextet[c])];
  }
  return table;
}();

// Botan reads the standard alphabet: the text is translated through this stack buffer, a chunk at
// a time (a multiple of 4 characters, so only the last chunk can end in a partial group).
constexpr std::size_t kChunkChars = 512;

}  // namespace

std::string base64url_encode(std::span<const std::uint8_t> bytes) {
  std::string out = Botan::base64_encode(bytes.data(), bytes.size());
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
  }
  return out;
}

std::string base64url_encode(std::string_view text) {
  return base64url_encode(
      std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

std::optional<std::size_t> base64url_decode_into(std::string_view text, std::span<std::uint8_t> out) {
  const std::size_t remainder = text.size() % 4;
  if (remainder == 1) return std::nullopt;  // 6 bits cannot end a byte string
  if (out.size() < base64url_decode_room(text.size())) return std::nullopt;
  if (text.empty()) return 0;
  // Two trailing characters carry one byte (4 spare bits), three carry two (2 spare bits).
  if (remainder == 2 && (sextet(text.back()) & 0x0F) != 0) return std::nullopt;
  if (remainder == 3 && (sextet(text.back()) & 0x03) != 0) return std::nullopt;

  std::array<char, kChunkChars> standard;
  std::size_t written = 0;
  for (std::size_t start = 0; start < text.size(); start += kChunkChars) {
    const std::size_t count = std::min(kChunkChars, text.size() - start);
    bool outside_alphabet = false;  // checked once per chunk: no branch per character
    for (std::size_t i = 0; i < count; ++i) {
      standard[i] = kToStandard[static_cast<unsigned char>(text[start + i])];
      outside_alphabet |= standard[i] == 0;
    }
    if (outside_alphabet) return std::nullopt;
    const bool last = start + count == text.size();
    std::size_t consumed = 0;
    try {
      written += Botan::base64_decode(out.data() + written, standard.data(), count, consumed, last, false);
    } catch (const std::exception&) {
      return std::nullopt;  // unreachable after the checks above; fail closed regardless
    }
    if (consumed != count) return std::nullopt;
  }
  return written;
}

std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text) {
  std::vector<std::uint8_t> bytes(base64url_decode_room(text.size()));
  const auto size = base64url_decode_into(text, bytes);
  if (!size) return std::nullopt;
  bytes.resize(*size);
  return bytes;
}

std::optional<std::string> base64url_decode_text(std::string_view text) {
  std::string decoded(base64url_decode_room(text.size()), '\0');
  const auto size = base64url_decode_into(
      text, std::span(reinterpret_cast<std::uint8_t*>(decoded.data()), decoded.size()));
  if (!size) return std::nullopt;
  decoded.resize(*size);
  return decoded;
}

}  // namespace latchkey::jwt
