// The host's percent-decoder (path segments and query values of every request). A decoded
// string is never longer than its input, and text without '%' comes back unchanged.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "url_decode.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string decoded = latchkey::host::percent_decode(text);
  if (decoded.size() > text.size()) std::abort();
  if (text.find('%') == std::string_view::npos && decoded != text) std::abort();
  return 0;
}
