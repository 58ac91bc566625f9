// Tests of password/utf8.h: code points counted, ill-formed UTF-8 refused.
#include "password/utf8.h"

#include <gtest/gtest.h>

namespace latchkey::password {
namespace {

TEST(PasswordUtf8, CountsCodePointsNotBytes) {
  EXPECT_EQ(count_code_points(""), 0u);
  EXPECT_EQ(count_code_points("abc"), 3u);
  EXPECT_EQ(count_code_points("\xC3\xA9"), 1u);                  // é
  EXPECT_EQ(count_code_points("\xE2\x82\xAC"), 1u);              // €
  EXPECT_EQ(count_code_points("\xF0\x9F\x94\x91"), 1u);          // 🔑
  EXPECT_EQ(count_code_points("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x94\x91"), 4u);
  EXPECT_EQ(count_code_points("\xF4\x8F\xBF\xBF"), 1u);          // U+10FFFF
}

TEST(PasswordUtf8, RefusesIllFormedSequences) {
  EXPECT_FALSE(count_code_points("\x80"));                 // lone continuation byte
  EXPECT_FALSE(count_code_points("\xC3"));                 // truncated
  EXPECT_FALSE(count_code_points("\xE2\x82"));             // truncated
  EXPECT_FALSE(count_code_points("\xC0\xAF"));             // overlong '/'
  EXPECT_FALSE(count_code_points("\xE0\x80\xAF"));         // overlong '/'
  EXPECT_FALSE(count_code_points("\xF0\x80\x80\xAF"));     // overlong '/'
  EXPECT_FALSE(count_code_points("\xED\xA0\x80"));         // surrogate U+D800
  EXPECT_FALSE(count_code_points("\xF4\x90\x80\x80"));     // above U+10FFFF
  EXPECT_FALSE(count_code_points("\xF5\x80\x80\x80"));
  EXPECT_FALSE(count_code_points("\xFF"));
  EXPECT_FALSE(count_code_points("ab\xC3(cd"));            // bad continuation
}

}  // namespace
}  // namespace latchkey::password
