// The strict JSON parser every JOSE header, claims set, JWKS and auth config goes through.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "jwt/json_strict.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const std::size_t depth : {std::size_t{1}, std::size_t{8}, std::size_t{64}}) {
    const auto document = latchkey::jwt::parse_json_object(text, depth);
    if (document && !document->IsObject()) std::abort();
  }
  return 0;
}
