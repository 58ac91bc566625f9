// base64url on top of Botan's base64: we police the alphabet and canonical form, Botan decodes.
#include "jwt/base64url.h"

#include <botan/base64.h>

namespace latchkey::jwt {
namespace {

// The 6-bit value of a base64url character, or -1 for anything outside the alphabet.
int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

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

std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text) {
  const std::size_t remainder = text.size() % 4;
  if (remainder == 1) return std::nullopt;  // 6 bits cannot end a byte string

  std::string standard;
  standard.reserve(text.size() + 2);
  for (const char c : text) {
    if (sextet(c) < 0) return std::nullopt;
    standard.push_back(c == '-' ? '+' : c == '_' ? '/' : c);
  }
  // Two trailing characters carry one byte (4 spare bits), three carry two (2 spare bits).
  if (remainder == 2 && (sextet(text.back()) & 0x0F) != 0) return std::nullopt;
  if (remainder == 3 && (sextet(text.back()) & 0x03) != 0) return std::nullopt;
  standard.append(remainder == 0 ? 0 : 4 - remainder, '=');

  try {
    const auto decoded = Botan::base64_decode(standard.data(), standard.size(), false);
    return std::vector<std::uint8_t>(decoded.begin(), decoded.end());
  } catch (const std::exception&) {
    return std::nullopt;  // unreachable after the checks above; fail closed regardless
  }
}

}  // namespace latchkey::jwt
