// The front door's request-head checks on any bytes: they never crash, and what they accept has a
// length within the limit and a status of 0.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "front_door/request_head.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr size_t kMaxBody = 65536;
  const std::string_view head(reinterpret_cast<const char*>(data), size);
  const latchkey::host::HeadCheck check = latchkey::host::check_request_head(head, kMaxBody);
  if (check.ok() && (check.content_length > kMaxBody || !check.code.empty())) std::abort();
  if (!check.ok() && (check.status < 400 || check.status > 599 || check.message.empty())) std::abort();
  return 0;
}
