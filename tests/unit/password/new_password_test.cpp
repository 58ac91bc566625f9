// Tests of password/new_password.h: the policy is applied before any Argon2 run.
#include "password/new_password.h"

#include <string>

#include <gtest/gtest.h>

#include "test_parameters.h"

namespace latchkey::password {
namespace {

using testing::fast_parameters;

TEST(PasswordNewPassword, RefusesOneMegabytePasswordWithoutHashing) {
  const Hasher hasher(fast_parameters, 1);
  const auto before = hasher.stats().computations;
  const auto result = hash_new_password(std::string(1024 * 1024, 'a'), Policy{}, hasher);
  EXPECT_EQ(result.result, PolicyResult::too_long);
  EXPECT_TRUE(result.encoded.empty());
  EXPECT_EQ(hasher.stats().computations, before);
}

TEST(PasswordNewPassword, RefusesShortAndInvalidUtf8WithoutHashing) {
  const Hasher hasher(fast_parameters, 1);
  const auto before = hasher.stats().computations;
  EXPECT_EQ(hash_new_password("short", Policy{}, hasher).result, PolicyResult::too_short);
  EXPECT_EQ(hash_new_password("password\xFF", Policy{}, hasher).result, PolicyResult::invalid_utf8);
  EXPECT_EQ(hasher.stats().computations, before);
}

TEST(PasswordNewPassword, HashesAnAcceptablePasswordOnce) {
  const Hasher hasher(fast_parameters, 1);
  const auto before = hasher.stats().computations;
  const auto result = hash_new_password("emoji \xF0\x9F\x94\x91 and spaces", Policy{}, hasher);
  ASSERT_EQ(result.result, PolicyResult::ok);
  EXPECT_EQ(hasher.stats().computations, before + 1);
  EXPECT_TRUE(hasher.verify("emoji \xF0\x9F\x94\x91 and spaces", result.encoded));
}

}  // namespace
}  // namespace latchkey::password
