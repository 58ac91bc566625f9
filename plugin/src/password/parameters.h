// Argon2id cost parameters: what a hash costs in memory, passes and lanes.
// Defaults are OWASP's first row (19 MiB, t=2, p=1).
#pragma once

#include <cstdint>

namespace latchkey::password {

struct Parameters {
  std::uint32_t memory_kib = 19456;  // m, in KiB (19 MiB)
  std::uint32_t iterations = 2;      // t, passes over memory
  std::uint32_t parallelism = 1;     // p, lanes

  friend bool operator==(const Parameters&, const Parameters&) = default;
};

// Bounds we accept for our own config and for stored hashes, so that a bad value can neither
// fail inside Botan nor ask for an absurd amount of memory: 1 <= p <= 255, 8p <= m <= 4 GiB,
// 1 <= t <= 1024.
bool is_supported(const Parameters& parameters);

}  // namespace latchkey::password
