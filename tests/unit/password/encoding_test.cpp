// Tests of password/encoding.h: plain passes through, base64 decodes or is a distinct error.
#include "password/encoding.h"

#include <gtest/gtest.h>

namespace latchkey::password {
namespace {

TEST(PasswordEncoding, ParsesTheTwoConfiguredNames) {
  EXPECT_EQ(parse_encoding("plain"), Encoding::plain);
  EXPECT_EQ(parse_encoding("base64"), Encoding::base64);
  EXPECT_FALSE(parse_encoding("Base64"));
  EXPECT_FALSE(parse_encoding("base64url"));
  EXPECT_FALSE(parse_encoding(""));
}

TEST(PasswordEncoding, PlainIsTakenAsIs) {
  const auto decoded = decode_password(" c3VwZXI= \xF0\x9F\x94\x91", Encoding::plain);
  EXPECT_EQ(decoded.status, DecodeStatus::ok);
  EXPECT_EQ(decoded.password, " c3VwZXI= \xF0\x9F\x94\x91");
}

TEST(PasswordEncoding, DecodesValidBase64) {
  auto decoded = decode_password("Y29ycmVjdCBob3JzZQ==", Encoding::base64);
  EXPECT_EQ(decoded.status, DecodeStatus::ok);
  EXPECT_EQ(decoded.password, "correct horse");

  decoded = decode_password("8J+UkXBhc3N3b3Jk", Encoding::base64);  // "🔑password"
  EXPECT_EQ(decoded.status, DecodeStatus::ok);
  EXPECT_EQ(decoded.password, "\xF0\x9F\x94\x91password");
}

TEST(PasswordEncoding, InvalidBase64IsADistinctError) {
  for (const char* bad : {"not base64!", "Y29y cmVjdA==", "Y29ycmVjdA=", "Y29y\ncmVjdA==",
                          "Y29ycmVjdA==Y29y", "Y29ycmVjd-_", "Y29ycmVjdA", "====",
                          "Y29ycmVjdA=\xC3\xA9"}) {
    const auto decoded = decode_password(bad, Encoding::base64);
    EXPECT_EQ(decoded.status, DecodeStatus::invalid_base64) << bad;
    EXPECT_TRUE(decoded.password.empty()) << bad;
  }
}

}  // namespace
}  // namespace latchkey::password
