// The User-Agent reader of the sessions list (session/device_name.h): whatever a client sends, the
// name is short printable ASCII built from fixed words, and the same input gives the same name.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "session/device_name.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view user_agent(reinterpret_cast<const char*>(data), size);
  const std::string name = latchkey::session::device_name(user_agent);
  if (name.empty() || name.size() > 80) std::abort();
  for (const char c : name) {
    if (c < 0x20 || c > 0x7e) std::abort();
  }
  if (latchkey::session::device_name(user_agent) != name) std::abort();
  return 0;
}
