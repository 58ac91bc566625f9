// json_strict.h: one object, no duplicate names, bounded depth, clean bytes.
#include "jwt/json_strict.h"

#include <string>

#include <gtest/gtest.h>

namespace latchkey::jwt {
namespace {

bool accepted(std::string_view text, std::size_t depth = 8) {
  return parse_json_object(text, depth).has_value();
}

TEST(JwtJsonStrict, AcceptsAnObjectWithNestedValues) {
  const auto doc = parse_json_object(R"({"a":1,"b":["x",{"c":null}],"d":{"a":2}})", 8);
  ASSERT_TRUE(doc);
  EXPECT_EQ((*doc)["a"].GetInt(), 1);
}

TEST(JwtJsonStrict, RefusesAnythingButOneObject) {
  for (const char* text : {"", "[]", "1", "\"x\"", "null", "{} {}", "{},", "{", "{\"a\":1}x"}) {
    EXPECT_FALSE(accepted(text)) << text;
  }
}

TEST(JwtJsonStrict, RefusesDuplicateMemberNames) {
  EXPECT_FALSE(accepted(R"({"a":1,"a":2})"));
  EXPECT_FALSE(accepted(R"({"alg":"HS256","alg":"none"})"));
  EXPECT_FALSE(accepted(R"({"x":{"b":1,"b":1}})"));
  EXPECT_FALSE(accepted(R"({"x":[{"b":1,"b":1}]})"));
}

TEST(JwtJsonStrict, RefusesDuplicatesSpelledWithEscapes) {
  EXPECT_FALSE(accepted(R"({"alg":"HS256","\u0061lg":"none"})"));
}

// A lone surrogate escape decodes to bytes that are not UTF-8: refused in values and in names;
// a pair is one character and stays accepted.
TEST(JwtJsonStrict, RefusesLoneSurrogateEscapes) {
  EXPECT_FALSE(accepted(R"({"kid":"\ude00"})"));
  EXPECT_FALSE(accepted(R"({"kid":"a\udfffb"})"));
  EXPECT_FALSE(accepted(R"({"\udc00":1})"));
  EXPECT_FALSE(accepted(R"({"kid":"\ud800"})"));
  EXPECT_FALSE(accepted(R"({"kid":"\ud83dx"})"));
  EXPECT_TRUE(accepted(R"({"kid":"\ud83d\ude00"})"));
  EXPECT_TRUE(accepted(R"({"kid":"\ud41d\u00e9"})"));  // U+D41D is an ordinary character
}

TEST(JwtJsonStrict, AllowsTheSameNameInSiblingObjects) {
  EXPECT_TRUE(accepted(R"({"x":{"a":1},"y":{"a":1}})"));
}

TEST(JwtJsonStrict, RefusesNestingBeyondTheLimit) {
  EXPECT_TRUE(accepted(R"({"a":[[1]]})", 3));
  EXPECT_FALSE(accepted(R"({"a":[[[1]]]})", 3));
  const std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_FALSE(accepted(deep));
}

TEST(JwtJsonStrict, RefusesNulBytesAndInvalidUtf8) {
  EXPECT_FALSE(accepted(std::string_view("{}\0junk", 7)));
  EXPECT_FALSE(accepted(std::string_view("{\"a\":\"\0\"}", 8)));
  EXPECT_FALSE(accepted("{\"a\":\"\xC3\x28\"}"));
  EXPECT_FALSE(accepted("{\"a\":\"\xFF\"}"));
}

TEST(JwtJsonStrict, RefusesNonStandardNumbers) {
  EXPECT_FALSE(accepted(R"({"a":NaN})"));
  EXPECT_FALSE(accepted(R"({"a":Infinity})"));
  EXPECT_FALSE(accepted(R"({"a":1e400})"));
  EXPECT_FALSE(accepted(R"({"a":01})"));
}

// Objects of more than 16 members take another path to find duplicates (sorting the names).
TEST(JwtJsonStrict, RefusesDuplicatesInLargeObjects) {
  std::string many = "{";
  for (int i = 0; i < 40; ++i) many += "\"m" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  EXPECT_TRUE(accepted(many + "\"last\":0}"));
  EXPECT_FALSE(accepted(many + "\"m17\":0}"));
  EXPECT_FALSE(accepted(many + R"("m\u0031\u0037":0})"));  // "m17" spelled with escapes
  EXPECT_FALSE(accepted("{\"x\":[1," + many + "\"m0\":1}]}"));
  EXPECT_TRUE(accepted("{\"x\":[1," + many + "\"m\":1}],\"y\":" + many + "\"m\":1}}"));
}

TEST(JwtJsonStrict, NamesDifferingOnlyAfterANulAreDifferent) {
  EXPECT_TRUE(accepted(R"({"a\u0000b":1,"a\u0000c":2})"));
  EXPECT_FALSE(accepted(R"({"a\u0000b":1,"a\u0000b":2})"));
  EXPECT_TRUE(accepted(R"({"a":1,"a\u0000":2})"));
}

TEST(JwtJsonStrict, ParsesIntoADocumentOnTheCallersAllocator) {
  char buffer[1024];
  rapidjson::MemoryPoolAllocator<> allocator(buffer, sizeof buffer);
  rapidjson::Document document(&allocator);
  ASSERT_TRUE(parse_json_object_into(R"({"sub":"alice","roles":["user"]})", 8, document));
  EXPECT_STREQ(document["sub"].GetString(), "alice");
  EXPECT_FALSE(parse_json_object_into(R"({"sub":"alice","sub":"bob"})", 8, document));
  EXPECT_FALSE(parse_json_object_into(R"([1])", 8, document));
}

}  // namespace
}  // namespace latchkey::jwt
