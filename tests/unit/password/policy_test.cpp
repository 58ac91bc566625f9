// Tests of password/policy.h: bounds in code points, Unicode and spaces allowed.
#include "password/policy.h"

#include <string>

#include <gtest/gtest.h>

namespace latchkey::password {
namespace {

std::string repeat(std::string_view unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

const std::string key_emoji = "\xF0\x9F\x94\x91";  // 🔑, 4 bytes

TEST(PasswordPolicy, DefaultsAreEightTo256) {
  const Policy policy;
  EXPECT_EQ(policy.min_length, 8u);
  EXPECT_EQ(policy.max_length, 256u);
  EXPECT_TRUE(is_sound(policy));
}

TEST(PasswordPolicy, MinimumCountsCodePoints) {
  const Policy policy;
  EXPECT_EQ(check_password("1234567", policy), PolicyResult::too_short);
  EXPECT_EQ(check_password("12345678", policy), PolicyResult::ok);
  // Seven emoji are 28 bytes but only 7 code points.
  EXPECT_EQ(check_password(repeat(key_emoji, 7), policy), PolicyResult::too_short);
  EXPECT_EQ(check_password(repeat(key_emoji, 8), policy), PolicyResult::ok);
  EXPECT_EQ(check_password("", policy), PolicyResult::too_short);
}

TEST(PasswordPolicy, Accepts256MultiByteCodePointsAndRefuses257) {
  const Policy policy;
  EXPECT_EQ(check_password(repeat(key_emoji, 256), policy), PolicyResult::ok);
  EXPECT_EQ(check_password(repeat(key_emoji, 257), policy), PolicyResult::too_long);
  EXPECT_EQ(check_password(repeat("\xC3\xA9", 256), policy), PolicyResult::ok);
  EXPECT_EQ(check_password(repeat("\xC3\xA9", 257), policy), PolicyResult::too_long);
  EXPECT_EQ(check_password(repeat("a", 256), policy), PolicyResult::ok);
  EXPECT_EQ(check_password(repeat("a", 257), policy), PolicyResult::too_long);
}

TEST(PasswordPolicy, RefusesOneMegabytePassword) {
  EXPECT_EQ(check_password(std::string(1024 * 1024, 'a'), Policy{}), PolicyResult::too_long);
}

TEST(PasswordPolicy, RefusesInvalidUtf8) {
  EXPECT_EQ(check_password("password\xFF", Policy{}), PolicyResult::invalid_utf8);
  EXPECT_EQ(check_password("password\xC0\xAF", Policy{}), PolicyResult::invalid_utf8);
  EXPECT_EQ(check_password("pass\xED\xA0\x80word", Policy{}), PolicyResult::invalid_utf8);
}

TEST(PasswordPolicy, AcceptsSpacesUnicodeAndEmojiWithoutCompositionRules) {
  const Policy policy;
  EXPECT_EQ(check_password("correct horse battery staple", policy), PolicyResult::ok);
  EXPECT_EQ(check_password("        ", policy), PolicyResult::ok);
  EXPECT_EQ(check_password("p\xC3\xA4ssw\xC3\xB6rd " + key_emoji, policy), PolicyResult::ok);
  EXPECT_EQ(check_password("\xE5\xAF\x86\xE7\xA0\x81\xE5\xAF\x86\xE7\xA0\x81\xE5\xAF\x86"
                           "\xE7\xA0\x81\xE5\xAF\x86\xE7\xA0\x81",
                           policy),
            PolicyResult::ok);  // 密码 four times
  EXPECT_EQ(check_password("aaaaaaaa", policy), PolicyResult::ok);
}

TEST(PasswordPolicy, HonoursConfiguredBounds) {
  const Policy policy{12, 64};
  EXPECT_EQ(check_password(repeat("a", 11), policy), PolicyResult::too_short);
  EXPECT_EQ(check_password(repeat("a", 12), policy), PolicyResult::ok);
  EXPECT_EQ(check_password(repeat(key_emoji, 64), policy), PolicyResult::ok);
  EXPECT_EQ(check_password(repeat(key_emoji, 65), policy), PolicyResult::too_long);
}

TEST(PasswordPolicy, UnsoundPoliciesAreRecognised) {
  EXPECT_FALSE(is_sound(Policy{0, 256}));
  EXPECT_FALSE(is_sound(Policy{8, 63}));
  EXPECT_FALSE(is_sound(Policy{100, 64}));
  EXPECT_TRUE(is_sound(Policy{64, 64}));
}

}  // namespace
}  // namespace latchkey::password
