// verify_jws against malformed compact forms: segment counts, padding, alphabet, whitespace,
// trailing bits, size, nesting and duplicate names. Each is refused even when validly signed.
#include "jwt/jws.h"

#include <gtest/gtest.h>

#include "jwt_test_support.h"

namespace latchkey::jwt {
namespace {

using testing::forge;

constexpr std::string_view kHeader = R"({"alg":"HS256","kid":"hs"})";
constexpr std::string_view kPayload = R"({"sub":"alice1"})";  // 16 bytes: 22 chars

class JwtForm : public ::testing::Test {
 protected:
  // verify_jws, and the access-token path agreeing with it (jwt_test_support.h).
  JwsError verify(std::string_view token) const { return testing::verify_both_ways(token, keys_); }

  // header.payload segments exactly as given, with a valid signature over them: what a lenient
  // implementation sharing our secret could issue. Our verifier must still refuse bad forms.
  std::string signed_segments(const std::string& header, const std::string& payload) const {
    const std::string input = header + "." + payload;
    return input + "." + base64url_encode(hs_.sign(input));
  }

  static std::string padded(std::string segment) {
    while (segment.size() % 4 != 0) segment += '=';
    return segment;
  }

  Key hs_ = testing::hs256_key("hs");
  KeySet keys_ = testing::must(KeySet::create(hs_));
  std::string header_ = base64url_encode(kHeader);
  std::string payload_ = base64url_encode(kPayload);
};

TEST_F(JwtForm, TheReferenceTokenVerifies) {
  EXPECT_EQ(verify(signed_segments(header_, payload_)), JwsError::none);
}

TEST_F(JwtForm, RefusesFiveSegmentsAndOtherCounts) {
  const std::string token = signed_segments(header_, payload_);
  EXPECT_EQ(verify(token + ".e30.e30"), JwsError::not_compact);  // JWE shape
  EXPECT_EQ(verify("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d"), JwsError::not_compact);
  EXPECT_EQ(verify(token + "."), JwsError::not_compact);
  EXPECT_EQ(verify(header_ + "." + payload_), JwsError::not_compact);
  EXPECT_EQ(verify(header_), JwsError::not_compact);
  EXPECT_EQ(verify(""), JwsError::not_compact);
  EXPECT_EQ(verify(".."), JwsError::bad_json);
}

TEST_F(JwtForm, RefusesPaddedSegments) {
  ASSERT_NE(header_.size() % 4, 0u);
  ASSERT_NE(payload_.size() % 4, 0u);
  const std::string token = signed_segments(header_, payload_);
  const std::string signature = token.substr(token.rfind('.') + 1);
  ASSERT_NE(signature.size() % 4, 0u);
  EXPECT_EQ(verify(signed_segments(padded(header_), payload_)), JwsError::bad_base64);
  EXPECT_EQ(verify(signed_segments(header_, padded(payload_))), JwsError::bad_base64);
  EXPECT_EQ(verify(header_ + "." + payload_ + "." + padded(signature)), JwsError::bad_base64);
}

TEST_F(JwtForm, RefusesPlusAndSlash) {
  // '?' and '>' encode to '_' and '-' in base64url, '/' and '+' in standard base64.
  const std::string header = base64url_encode(std::string_view(R"({"alg":"HS256","kid":"hs","n":"???>>>"})"));
  ASSERT_NE(header.find_first_of("-_"), std::string::npos);
  std::string standard = header;
  for (char& c : standard) c = c == '-' ? '+' : c == '_' ? '/' : c;
  EXPECT_EQ(verify(signed_segments(header, payload_)), JwsError::none);
  EXPECT_EQ(verify(signed_segments(standard, payload_)), JwsError::bad_base64);

  for (int n = 0;; ++n) {  // find a token whose signature holds '-' or '_'
    const std::string token = signed_segments(header_, base64url_encode("{\"n\":" + std::to_string(n) + "}"));
    const std::size_t dot = token.rfind('.');
    if (token.find_first_of("-_", dot) == std::string::npos) continue;
    std::string bad = token;
    for (std::size_t i = dot; i < bad.size(); ++i) bad[i] = bad[i] == '-' ? '+' : bad[i] == '_' ? '/' : bad[i];
    EXPECT_EQ(verify(bad), JwsError::bad_base64);
    break;
  }
}

TEST_F(JwtForm, RefusesWhitespace) {
  const std::string token = signed_segments(header_, payload_);
  EXPECT_EQ(verify(signed_segments(header_.substr(0, 4) + " " + header_.substr(4), payload_)),
            JwsError::bad_base64);
  EXPECT_EQ(verify(signed_segments(header_, payload_.substr(0, 4) + "\n" + payload_.substr(4))),
            JwsError::bad_base64);
  EXPECT_EQ(verify(signed_segments(header_, payload_ + "\t")), JwsError::bad_base64);
  for (const std::string& bad : {" " + token, token + " ", token + "\n", token + "\r\n"}) {
    EXPECT_EQ(verify(bad), JwsError::bad_base64);
  }
  std::string spaced = token;
  spaced.insert(token.rfind('.') + 5, " ");
  EXPECT_EQ(verify(spaced), JwsError::bad_base64);
}

TEST_F(JwtForm, RefusesNonCanonicalTrailingBits) {
  // A segment whose length is 2 or 3 mod 4 has spare low bits in its last character; setting
  // them yields another string that lenient decoders map to the same bytes.
  const auto bump = [](std::string segment) {
    char& last = segment.back();
    last = last == 'z' ? '0' : last == '9' ? '-' : static_cast<char>(last + 1);
    return segment;
  };
  ASSERT_EQ(payload_.size() % 4, 2u);
  const std::string token = signed_segments(header_, payload_);
  const std::string signature = token.substr(token.rfind('.') + 1);
  ASSERT_EQ(signature.size() % 4, 3u);  // 32 bytes of MAC: 43 chars
  EXPECT_EQ(verify(signed_segments(header_, bump(payload_))), JwsError::bad_base64);
  EXPECT_EQ(verify(header_ + "." + payload_ + "." + bump(signature)), JwsError::bad_base64);
  EXPECT_EQ(verify(signed_segments(bump(header_), payload_)), JwsError::bad_base64);
}

TEST_F(JwtForm, RefusesAnOversizedTokenBeforeDecodingIt) {
  const std::string big_header = R"({"alg":"HS256","kid":"hs","pad":")" + std::string(9000, 'a') + "\"}";
  EXPECT_EQ(verify(forge(big_header, kPayload, &hs_)), JwsError::too_large);
  EXPECT_EQ(verify(std::string(1 << 20, '.')), JwsError::too_large);
  EXPECT_EQ(verify(std::string(8193, 'A')), JwsError::too_large);
}

TEST_F(JwtForm, RefusesDeeplyNestedJson) {
  const std::string deep = std::string(2000, '[') + std::string(2000, ']');
  EXPECT_EQ(verify(forge(R"({"alg":"HS256","kid":"hs","x":)" + deep + "}", kPayload, &hs_)),
            JwsError::bad_json);
  EXPECT_EQ(verify(forge(kHeader, R"({"sub":"alice","x":)" + deep + "}", &hs_)), JwsError::bad_json);
  const std::string nine = std::string(8, '[') + std::string(8, ']');
  EXPECT_EQ(verify(forge(kHeader, R"({"x":)" + nine + "}", &hs_)), JwsError::bad_json);
}

TEST_F(JwtForm, RefusesDuplicateMemberNamesInHeader) {
  EXPECT_EQ(verify(forge(R"({"alg":"HS256","kid":"hs","alg":"none"})", kPayload, &hs_)),
            JwsError::bad_json);
  EXPECT_EQ(verify(forge(R"({"kid":"nope","alg":"HS256","kid":"hs"})", kPayload, &hs_)),
            JwsError::bad_json);
}

TEST_F(JwtForm, RefusesDuplicateMemberNamesInClaims) {
  EXPECT_EQ(verify(forge(kHeader, R"({"sub":"alice","sub":"admin"})", &hs_)), JwsError::bad_json);
  EXPECT_EQ(verify(forge(kHeader, R"({"roles":["user"],"r\u006fles":["admin"]})", &hs_)),
            JwsError::bad_json);
}

TEST_F(JwtForm, RefusesHeaderOrPayloadThatIsNotAnObject) {
  for (const char* json : {"[]", "\"x\"", "1", "null", "", "{", "{}{}"}) {
    EXPECT_EQ(verify(forge(json, kPayload, &hs_)), JwsError::bad_json) << json;
    EXPECT_EQ(verify(forge(kHeader, json, &hs_)), JwsError::bad_json) << json;
  }
}

}  // namespace
}  // namespace latchkey::jwt
