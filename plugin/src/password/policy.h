// The password policy (CONTRACT §4 `password`, SECURITY "Passwords and accounts"): length bounds
// in Unicode code points, checked before any hashing; no composition rules, no truncation.
#pragma once

#include <cstddef>
#include <string_view>

namespace latchkey::password {

struct Policy {
  std::size_t min_length = 8;    // code points
  std::size_t max_length = 256;  // code points; enforced before hashing
};

enum class PolicyResult {
  ok,
  too_short,
  too_long,
  invalid_utf8,
};

// Whether `password` may be set as a new password. Cheap: a password far beyond max_length is
// refused from its byte length alone, so a 1 MB body costs nothing. Spaces, Unicode and any
// well-formed UTF-8 are allowed; the password is never truncated or altered.
//
// At login, only too_long and invalid_utf8 may be refused without verifying (no stored hash can
// match them while the bounds stay put); too_short must still be verified, since the minimum may
// have been raised after the account chose its password.
PolicyResult check_password(std::string_view password, const Policy& policy);

// Whether a configured policy is acceptable: min_length >= 1, max_length >= 64 (ASVS 2.1.2),
// min_length <= max_length.
bool is_sound(const Policy& policy);

}  // namespace latchkey::password
