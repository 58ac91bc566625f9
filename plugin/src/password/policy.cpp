// Password length policy in code points (see policy.h).
#include "password/policy.h"

#include "password/utf8.h"

namespace latchkey::password {

namespace {
constexpr std::size_t max_bytes_per_code_point = 4;
}  // namespace

PolicyResult check_password(std::string_view password, const Policy& policy) {
  // Every code point takes at most 4 bytes: past 4 * max_length + 3 bytes the password has more
  // than max_length code points whatever it holds, so refuse without reading it.
  if (password.size() / max_bytes_per_code_point > policy.max_length) return PolicyResult::too_long;
  const auto length = count_code_points(password);
  if (!length) return PolicyResult::invalid_utf8;
  if (*length < policy.min_length) return PolicyResult::too_short;
  if (*length > policy.max_length) return PolicyResult::too_long;
  return PolicyResult::ok;
}

bool is_sound(const Policy& policy) {
  return policy.min_length >= 1 && policy.max_length >= 64 &&
         policy.min_length <= policy.max_length;
}

}  // namespace latchkey::password
