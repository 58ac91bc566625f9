// percent_decode: the decoding libcurl's unescape did before, byte for byte.
#include "url_decode.h"

#include <gtest/gtest.h>

namespace latchkey::host {
namespace {

TEST(PercentDecode, DecodesEscapesOfEitherCase) {
  EXPECT_EQ(percent_decode("a%20b%2Fc%2f%C3%A9"), "a b/c/\xC3\xA9");
}

TEST(PercentDecode, KeepsIncompleteOrInvalidEscapes) {
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%4"), "%4");
  EXPECT_EQ(percent_decode("%zz%4g"), "%zz%4g");
  EXPECT_EQ(percent_decode("%%41"), "%A");
}

TEST(PercentDecode, PlusStaysAndNulIsKept) {
  EXPECT_EQ(percent_decode("a+b"), "a+b");
  EXPECT_EQ(percent_decode("a%00b"), std::string("a\0b", 3));
  EXPECT_EQ(percent_decode(""), "");
}

}  // namespace
}  // namespace latchkey::host
