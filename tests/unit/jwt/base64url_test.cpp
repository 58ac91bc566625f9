// base64url.h: one canonical encoding per byte string, nothing else accepted.
#include "jwt/base64url.h"

#include <gtest/gtest.h>

namespace latchkey::jwt {
namespace {

std::vector<std::uint8_t> bytes(std::string_view text) { return {text.begin(), text.end()}; }

TEST(JwtBase64Url, EncodesWithoutPaddingInTheUrlAlphabet) {
  EXPECT_EQ(base64url_encode(std::string_view("")), "");
  EXPECT_EQ(base64url_encode(std::string_view("f")), "Zg");
  EXPECT_EQ(base64url_encode(std::string_view("fo")), "Zm8");
  EXPECT_EQ(base64url_encode(std::string_view("foo")), "Zm9v");
  const std::vector<std::uint8_t> high = {0xfb, 0xff, 0xbf};
  EXPECT_EQ(base64url_encode(high), "-_-_");
}

TEST(JwtBase64Url, RoundTripsEveryLength) {
  std::vector<std::uint8_t> data;
  for (int n = 0; n < 70; ++n) {
    EXPECT_EQ(base64url_decode(base64url_encode(data)), data) << n;
    data.push_back(static_cast<std::uint8_t>(n * 37 + 11));
  }
}

TEST(JwtBase64Url, DecodesTheUrlAlphabet) {
  EXPECT_EQ(base64url_decode("-_-_"), (std::vector<std::uint8_t>{0xfb, 0xff, 0xbf}));
  EXPECT_EQ(base64url_decode("Zm8"), bytes("fo"));
  EXPECT_EQ(base64url_decode(""), bytes(""));
}

TEST(JwtBase64Url, RefusesPadding) {
  EXPECT_FALSE(base64url_decode("Zg=="));
  EXPECT_FALSE(base64url_decode("Zm8="));
  EXPECT_FALSE(base64url_decode("Zm9v===="));
  EXPECT_FALSE(base64url_decode("Zg="));
}

TEST(JwtBase64Url, RefusesTheStandardAlphabetsPlusAndSlash) {
  EXPECT_FALSE(base64url_decode("+/+/"));
  EXPECT_FALSE(base64url_decode("Zm+v"));
  EXPECT_FALSE(base64url_decode("Zm/v"));
}

TEST(JwtBase64Url, RefusesWhitespaceAnywhere) {
  for (const char* text : {" Zm9v", "Zm9v ", "Zm 9v", "Zm\n9v", "Zm\t9v", "Zm9v\r\n"}) {
    EXPECT_FALSE(base64url_decode(text)) << text;
  }
}

TEST(JwtBase64Url, RefusesNonCanonicalTrailingBits) {
  // "Zg" is the one encoding of "f"; "Zh".."Zv" decode to "f" too in lenient decoders.
  EXPECT_TRUE(base64url_decode("Zg"));
  EXPECT_FALSE(base64url_decode("Zh"));
  EXPECT_FALSE(base64url_decode("Zv"));
  EXPECT_TRUE(base64url_decode("Zm8"));
  EXPECT_FALSE(base64url_decode("Zm9"));
  EXPECT_FALSE(base64url_decode("Zm_"));
}

TEST(JwtBase64Url, RefusesImpossibleLengthAndOtherCharacters) {
  EXPECT_FALSE(base64url_decode("Z"));
  EXPECT_FALSE(base64url_decode("Zm9vY"));
  EXPECT_FALSE(base64url_decode("Zm9v."));
  EXPECT_FALSE(base64url_decode(std::string_view("Zm\0v", 4)));
  EXPECT_FALSE(base64url_decode("Zm9\xC3\xA9"));
}

// Every byte that is not A-Z a-z 0-9 - _, in every position of a group, and in both APIs. Bytes
// above 0x7f matter most: libsodium 1.0.18 alone decodes "U\x8bI" (the fuzz target found it).
TEST(JwtBase64Url, RefusesEveryByteOutsideTheAlphabetInEveryPosition) {
  const std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  EXPECT_FALSE(base64url_decode(std::string("U\x8bI")));
  for (int byte = 0; byte < 256; ++byte) {
    const char c = static_cast<char>(byte);
    if (alphabet.find(c) != std::string_view::npos) continue;
    for (size_t position = 0; position < 4; ++position) {
      std::string text = "QUJDQUJD";
      text[position] = c;
      EXPECT_FALSE(base64url_decode(text)) << "byte " << byte << " at " << position;
      EXPECT_FALSE(base64url_decode_text(text)) << "byte " << byte << " at " << position;
      if (position < 2) {  // "QUI" is canonical ("AB"): only the byte can make it fail
        std::string short_text = "QUI";
        short_text[position] = c;
        EXPECT_FALSE(base64url_decode(short_text)) << "byte " << byte << " at " << position << " of 3";
      }
    }
  }
}

// Lengths around 512 characters (the chunk size of the Botan-based decoder before issue 16) decode
// to the same bytes through both entry points.
TEST(JwtBase64Url, DecodesIntoABufferAcrossChunkBoundaries) {
  std::vector<std::uint8_t> data;
  for (std::size_t n = 0; n < 1600; ++n) {
    const std::string text = base64url_encode(data);
    std::vector<std::uint8_t> out(base64url_decode_room(text.size()));
    const auto size = base64url_decode_into(text, out);
    ASSERT_TRUE(size) << n;
    out.resize(*size);
    EXPECT_EQ(out, data) << n;
    data.push_back(static_cast<std::uint8_t>(n * 131 + 7));
  }
}

TEST(JwtBase64Url, DecodesToTextWithTheSameRules) {
  EXPECT_EQ(base64url_decode_text("Zm9v"), "foo");
  EXPECT_EQ(base64url_decode_text("Zm8"), "fo");
  EXPECT_EQ(base64url_decode_text(""), "");
  EXPECT_EQ(base64url_decode_text("AA"), std::string(1, '\0'));
  for (const char* bad : {"Zm8=", "Zm9", "Z", "Zm+v", "Zm 9v"}) EXPECT_FALSE(base64url_decode_text(bad)) << bad;
}

TEST(JwtBase64Url, DecodeIntoRefusesAShortBufferAndBadTextInAnyChunk) {
  std::vector<std::uint8_t> out(base64url_decode_room(4) - 1);
  EXPECT_FALSE(base64url_decode_into("Zm9v", out));
  std::string text = base64url_encode(std::vector<std::uint8_t>(900, 0x5a));  // 1200 characters
  for (const std::size_t at : {std::size_t{0}, std::size_t{511}, std::size_t{512}, std::size_t{1100}}) {
    std::string bad = text;
    bad[at] = '=';
    EXPECT_FALSE(base64url_decode(bad)) << at;
    bad[at] = '+';
    EXPECT_FALSE(base64url_decode(bad)) << at;
  }
  EXPECT_TRUE(base64url_decode(text));
}

}  // namespace
}  // namespace latchkey::jwt
