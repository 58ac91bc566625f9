// The CBOR reader: what authenticators send is read, and hostile CBOR (lying lengths, deep nesting,
// indefinite lengths, tags, floats, oversize) is refused before libcbor allocates for it.
#include "webauthn/cbor_reader.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

namespace latchkey::webauthn {
namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (const int value : values) out.push_back(static_cast<char>(value));
  return out;
}

TEST(CborReader, ReadsAMapOfWebAuthnShape) {
  // {"fmt": "none", "attStmt": {}, "authData": h'0102'}
  const std::string map = bytes({0xa3, 0x63, 'f', 'm', 't', 0x64, 'n', 'o', 'n', 'e', 0x67, 'a', 't', 't', 'S', 't', 'm',
                                 't', 0xa0, 0x68, 'a', 'u', 't', 'h', 'D', 'a', 't', 'a', 0x42, 0x01, 0x02});
  const CborItem item = read_cbor(map);
  ASSERT_TRUE(item);
  EXPECT_TRUE(is_map_with_unique_keys(item.get()));
  EXPECT_EQ(cbor_text(cbor_map_value(item.get(), "fmt")), "none");
  EXPECT_EQ(cbor_bytes(cbor_map_value(item.get(), "authData")), bytes({1, 2}));
  EXPECT_TRUE(cbor_isa_map(cbor_map_value(item.get(), "attStmt")));
  EXPECT_EQ(cbor_map_value(item.get(), "absent"), nullptr);
  EXPECT_EQ(cbor_bytes(cbor_map_value(item.get(), "fmt")), std::nullopt);  // text is not bytes
}

TEST(CborReader, ReadsIntegersOfEveryWidthAndSign) {
  EXPECT_EQ(cbor_integer(read_cbor(bytes({0x00})).get()), 0);
  EXPECT_EQ(cbor_integer(read_cbor(bytes({0x26})).get()), -7);
  EXPECT_EQ(cbor_integer(read_cbor(bytes({0x39, 0x01, 0x00})).get()), -257);
  EXPECT_EQ(cbor_integer(read_cbor(bytes({0x1a, 0xff, 0xff, 0xff, 0xff})).get()), 4294967295);
  EXPECT_EQ(cbor_integer(read_cbor(bytes({0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})).get()), INT64_MIN);
  // Beyond int64_t: read as CBOR, but not an integer we take.
  EXPECT_EQ(cbor_integer(read_cbor(bytes({0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})).get()), std::nullopt);
  EXPECT_EQ(cbor_integer(read_cbor(bytes({0x3b, 0x80, 0, 0, 0, 0, 0, 0, 0})).get()), std::nullopt);
}

TEST(CborReader, PrefixSaysWhereTheItemEnds) {
  const std::string input = bytes({0xa1, 0x01, 0x02, 0xa0, 0xff});
  const std::optional<CborPrefix> prefix = read_cbor_prefix(input);
  ASSERT_TRUE(prefix);
  EXPECT_EQ(prefix->length, 3u);
  EXPECT_FALSE(read_cbor(input));  // exactly one item: trailing bytes refused
  EXPECT_TRUE(read_cbor(input.substr(0, 3)));
}

TEST(CborReader, RefusesTruncatedItems) {
  const std::string map = bytes({0xa2, 0x01, 0x42, 0xaa, 0xbb, 0x02, 0x63, 'a', 'b', 'c'});
  ASSERT_TRUE(read_cbor(map));
  for (std::size_t size = 0; size < map.size(); ++size) EXPECT_FALSE(read_cbor_prefix(map.substr(0, size))) << size;
}

TEST(CborReader, RefusesIndefiniteLengths) {
  EXPECT_FALSE(read_cbor(bytes({0x9f, 0x01, 0xff})));              // array
  EXPECT_FALSE(read_cbor(bytes({0xbf, 0x01, 0x02, 0xff})));        // map
  EXPECT_FALSE(read_cbor(bytes({0x5f, 0x41, 0x00, 0xff})));        // byte string
  EXPECT_FALSE(read_cbor(bytes({0x7f, 0x61, 'a', 0xff})));         // text string
  EXPECT_FALSE(read_cbor(bytes({0xff})));                          // a lone break
  EXPECT_FALSE(read_cbor(bytes({0x81, 0xff})));                    // a break inside a definite array
}

TEST(CborReader, RefusesTagsFloatsAndOtherSimpleValues) {
  EXPECT_FALSE(read_cbor(bytes({0xc2, 0x41, 0x01})));              // tag 2 (bignum)
  EXPECT_FALSE(read_cbor(bytes({0xa1, 0x01, 0xd8, 0x18, 0x40})));  // tag 24 inside a map
  EXPECT_FALSE(read_cbor(bytes({0xf9, 0x3c, 0x00})));              // half float
  EXPECT_FALSE(read_cbor(bytes({0xfa, 0x3f, 0x80, 0x00, 0x00})));  // float
  EXPECT_FALSE(read_cbor(bytes({0xfb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0})));  // double
  EXPECT_FALSE(read_cbor(bytes({0xf7})));                          // undefined
  EXPECT_FALSE(read_cbor(bytes({0xf0})));                          // simple(16)
  EXPECT_FALSE(read_cbor(bytes({0xf8, 0x20})));                    // simple(32)
  EXPECT_TRUE(read_cbor(bytes({0x83, 0xf4, 0xf5, 0xf6})));         // false, true, null are fine
}

// The lengths libcbor's cbor_load would allocate from, before reading what follows.
TEST(CborReader, RefusesDeclaredLengthsBeyondTheBytesLeft) {
  EXPECT_FALSE(read_cbor_prefix(bytes({0x5a, 0xff, 0xff, 0xff, 0xff, 0x00})));       // 4 GiB byte string
  EXPECT_FALSE(read_cbor_prefix(bytes({0x7b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})));  // text
  EXPECT_FALSE(read_cbor_prefix(bytes({0x9b, 0x0f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})));  // array
  EXPECT_FALSE(read_cbor_prefix(bytes({0x9a, 0x10, 0x00, 0x00, 0x00, 0x01, 0x02})));  // 268 million items
  EXPECT_FALSE(read_cbor_prefix(bytes({0xbb, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02})));  // map
  EXPECT_FALSE(read_cbor_prefix(bytes({0xb9, 0x01, 0x00, 0x01, 0x02, 0x03})));  // 256 pairs in 4 bytes
  // One byte per item is the least: an array of 3 in 3 bytes is read, in 2 it is not.
  EXPECT_TRUE(read_cbor(bytes({0x83, 0x01, 0x02, 0x03})));
  EXPECT_FALSE(read_cbor_prefix(bytes({0x83, 0x01, 0x02})));
  // An inner count checked against what is left after the outer header, not the whole input.
  EXPECT_FALSE(read_cbor_prefix(bytes({0x82, 0x85, 0x01, 0x02, 0x03, 0x04, 0x05})));
}

std::string nested_arrays(std::size_t depth) {
  std::string out(depth, static_cast<char>(0x81));
  out.push_back(0x00);
  return out;
}

TEST(CborReader, BoundsNestingDepth) {
  // kMaxCborDepth arrays around an integer; one more is refused. 100,000 levels are refused fast.
  EXPECT_TRUE(read_cbor(nested_arrays(kMaxCborDepth)));
  EXPECT_FALSE(read_cbor(nested_arrays(kMaxCborDepth + 1)));
  EXPECT_FALSE(read_cbor(nested_arrays(100000)));
  std::string maps;
  for (std::size_t i = 0; i <= kMaxCborDepth; ++i) maps += bytes({0xa1, 0x01});
  maps.push_back(0x00);
  EXPECT_FALSE(read_cbor(maps));
}

TEST(CborReader, BoundsTotalSize) {
  auto byte_string = [](std::size_t length) {
    std::string out = bytes({0x5a, static_cast<int>(length >> 24), static_cast<int>((length >> 16) & 0xff),
                             static_cast<int>((length >> 8) & 0xff), static_cast<int>(length & 0xff)});
    return out + std::string(length, 'x');
  };
  EXPECT_TRUE(read_cbor(byte_string(kMaxCborBytes - 5)));
  EXPECT_FALSE(read_cbor(byte_string(kMaxCborBytes - 4)));
  EXPECT_FALSE(read_cbor_prefix(byte_string(1 << 20)));
}

TEST(CborReader, UniqueKeysOfIntegerOrText) {
  EXPECT_TRUE(is_map_with_unique_keys(read_cbor(bytes({0xa2, 0x01, 0x00, 0x61, '1', 0x00})).get()));  // 1 and "1"
  EXPECT_FALSE(is_map_with_unique_keys(read_cbor(bytes({0xa2, 0x01, 0x00, 0x01, 0x01})).get()));
  EXPECT_FALSE(is_map_with_unique_keys(read_cbor(bytes({0xa2, 0x26, 0x00, 0x38, 0x06, 0x01})).get()));  // -7 twice
  // 3 as one byte and as two: the same key in two encodings.
  EXPECT_FALSE(is_map_with_unique_keys(read_cbor(bytes({0xa2, 0x03, 0x00, 0x18, 0x03, 0x01})).get()));
  EXPECT_FALSE(is_map_with_unique_keys(read_cbor(bytes({0xa2, 0x61, 'a', 0x00, 0x61, 'a', 0x01})).get()));
  EXPECT_FALSE(is_map_with_unique_keys(read_cbor(bytes({0xa1, 0x41, 0x01, 0x00})).get()));  // a byte-string key
  EXPECT_FALSE(is_map_with_unique_keys(read_cbor(bytes({0xa1, 0x80, 0x00})).get()));        // an array key
  EXPECT_FALSE(is_map_with_unique_keys(read_cbor(bytes({0x80})).get()));                    // not a map
  EXPECT_FALSE(is_map_with_unique_keys(nullptr));
  EXPECT_TRUE(is_map_with_unique_keys(read_cbor(bytes({0xa0})).get()));
}

}  // namespace
}  // namespace latchkey::webauthn
