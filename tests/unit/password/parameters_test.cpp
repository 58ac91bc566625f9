// Tests of password/parameters.h: OWASP defaults and the supported bounds.
#include "password/parameters.h"

#include <gtest/gtest.h>

namespace latchkey::password {
namespace {

TEST(PasswordParameters, DefaultsAreOwaspFirstRow) {
  const Parameters defaults;
  EXPECT_EQ(defaults.memory_kib, 19456u);
  EXPECT_EQ(defaults.iterations, 2u);
  EXPECT_EQ(defaults.parallelism, 1u);
  EXPECT_TRUE(is_supported(defaults));
}

TEST(PasswordParameters, RefusesZeroCostsAndTooLittleMemoryPerLane) {
  EXPECT_FALSE(is_supported({19456, 0, 1}));
  EXPECT_FALSE(is_supported({19456, 2, 0}));
  EXPECT_FALSE(is_supported({15, 1, 2}));
  EXPECT_TRUE(is_supported({16, 1, 2}));
}

TEST(PasswordParameters, RefusesAbsurdMemory) {
  EXPECT_TRUE(is_supported({4u * 1024 * 1024, 1, 1}));
  EXPECT_FALSE(is_supported({4u * 1024 * 1024 + 1, 1, 1}));
}

}  // namespace
}  // namespace latchkey::password
