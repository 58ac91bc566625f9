// Setting a password (registration, reset, change, `user add`): the policy is checked first and
// only an acceptable password is hashed, so an oversized one costs no Argon2 run.
#pragma once

#include <string>
#include <string_view>

#include "password/hasher.h"
#include "password/policy.h"

namespace latchkey::password {

struct NewPasswordHash {
  PolicyResult result = PolicyResult::ok;
  std::string encoded;  // the hash to store; empty unless result is ok
};

NewPasswordHash hash_new_password(std::string_view password, const Policy& policy,
                                  const Hasher& hasher);

}  // namespace latchkey::password
