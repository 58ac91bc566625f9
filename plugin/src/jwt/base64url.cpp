// base64url through libsodium's codec, which has the URL-safe unpadded variant itself and checks
// what a JWS needs: it stops at the first byte outside the alphabet (then the call fails, as we pass
// no end pointer) and refuses a length of 4n+1 and non-zero unused trailing bits. Botan's base64
// took 2.3 µs of a 4.0 µs HS256 verification (docs/BENCHMARKS.md, issue 16); libsodium's is about
// twice as fast, and its decoding is constant-time too.
#include "jwt/base64url.h"

#include <sodium.h>

namespace latchkey::jwt {
namespace {

constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

}  // namespace

std::string base64url_encode(std::span<const std::uint8_t> bytes) {
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
