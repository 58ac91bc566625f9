// Small Argon2 parameters that keep unit tests fast; only the defaults test uses OWASP's row.
#pragma once

#include "password/parameters.h"

namespace latchkey::password::testing {

inline constexpr Parameters fast_parameters{64, 1, 1};

}  // namespace latchkey::password::testing
