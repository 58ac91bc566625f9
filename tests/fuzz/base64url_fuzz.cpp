// Strict base64url (every JWS segment, every JWK member): decoding, and the one-encoding rule
// both ways (what decodes re-encodes to the same text; what is encoded decodes back).
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

#include "jwt/base64url.h"

using namespace latchkey::jwt;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto decoded = base64url_decode(text)) {
    if (base64url_encode(std::span<const std::uint8_t>(*decoded)) != text) std::abort();
  }
  const std::string encoded = base64url_encode(std::span<const std::uint8_t>(data, size));
  const auto round_trip = base64url_decode(encoded);
  if (!round_trip || round_trip->size() != size || !std::equal(round_trip->begin(), round_trip->end(), data))
    std::abort();
  return 0;
}
