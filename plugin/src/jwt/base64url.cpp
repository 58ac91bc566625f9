// base64url through libsodium's codec, which has the URL-safe unpadded variant itself and checks
// most of what a JWS needs: it refuses '=' and whitespace (the call fails, as we pass no end
// pointer), a length of 4n+1 and non-zero unused trailing bits. The alphabet we check first.
// Chosen over Botan's base64 for speed (docs/BENCHMARKS.md, issue 16).
#include "jwt/base64url.h"

#include <sodium.h>

#include <array>

namespace latchkey::jwt {
namespace {

constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

// A-Z a-z 0-9 - _.
constexpr std::array<bool, 256> kAlphabet = [] {
  std::array<bool, 256> table{};
  for (char c = 'A'; c <= 'Z'; ++c) table[static_cast<unsigned char>(c)] = true;
  for (char c = 'a'; c <= 'z'; ++c) table[static_cast<unsigned char>(c)] = true;
  for (char c = '0'; c <= '9'; ++c) table[static_cast<unsigned char>(c)] = true;
  table['-'] = table['_'] = true;
  return table;
}();

// libsodium 1.0.18 reads the text as signed chars, and its constant-time test takes some bytes
// above 0x7f for letters ("U\x8bI" decodes: found by the base64url fuzz target). So the alphabet
// is checked here first, without a branch per character.
bool in_alphabet(std::string_view text) {
  bool outside = false;
  for (const char c : text) outside |= !kAlphabet[static_cast<unsigned char>(c)];
  return !outside;
}

}  // namespace

std::string base64url_encode(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return std::string();  // libsodium's pointers must not be null (an empty span's may be)
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');  // with room for a NUL
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), kVariant);
  out.resize(out.size() - 1);
  return out;
}

std::string base64url_encode(std::string_view text) {
  return base64url_encode(
      std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

std::optional<std::size_t> base64url_decode_into(std::string_view text, std::span<std::uint8_t> out) {
  if (out.size() < base64url_decode_room(text.size())) return std::nullopt;
  if (text.empty()) return 0;  // as above: an empty output's pointer may be null
  if (!in_alphabet(text)) return std::nullopt;
  std::size_t written = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &written, nullptr, kVariant) != 0) {
    return std::nullopt;
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
