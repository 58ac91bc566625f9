// Bounds on Argon2id parameters (see parameters.h).
#include "password/parameters.h"

namespace latchkey::password {

namespace {
constexpr std::uint32_t max_memory_kib = 4u * 1024u * 1024u;  // 4 GiB
constexpr std::uint32_t max_iterations = 1024;
constexpr std::uint32_t max_parallelism = 255;
}  // namespace

bool is_supported(const Parameters& parameters) {
  const auto [m, t, p] = parameters;
  return p >= 1 && p <= max_parallelism && t >= 1 && t <= max_iterations &&
         m >= 8u * p && m <= max_memory_kib;
}

}  // namespace latchkey::password
