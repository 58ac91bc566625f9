// Email normalisation (register, login, forgot: the address a user types). The normal form is
// a fixed point, has no surrounding ASCII whitespace and no ASCII capitals.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "store/email.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string normal = latchkey::store::normalise_email(text);
  if (normal.size() > text.size()) std::abort();
  if (latchkey::store::normalise_email(normal) != normal) std::abort();
  for (const char c : normal) {
    if (c >= 'A' && c <= 'Z') std::abort();
  }
  return 0;
}
