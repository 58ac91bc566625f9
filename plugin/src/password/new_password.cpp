// Policy first, then hash (see new_password.h).
#include "password/new_password.h"

namespace latchkey::password {

NewPasswordHash hash_new_password(std::string_view password, const Policy& policy,
                                  const Hasher& hasher) {
  const auto result = check_password(password, policy);
  if (result != PolicyResult::ok) return {result, {}};
  return {PolicyResult::ok, hasher.hash(password)};
}

}  // namespace latchkey::password
