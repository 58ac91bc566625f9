// parse_jwks: a provider's JWKS into verify-only keys; kinds we do not use are skipped.
#include "jwt/jwks.h"
#include "jwt/jws.h"
#include "jwt_test_support.h"

namespace latchkey::jwt {
namespace {

using testing::must;
using testing::read_vec;

std::string rfc_rsa_jwk(std::string_view kid, std::string_view extra = "") {
  auto vec = read_vec("rfc7515_a2_rs256.vec");
  return std::string(R"({"kty":"RSA","kid":")") + std::string(kid) + R"(","n":")" + vec["n"] + R"(","e":"AQAB")" +
         std::string(extra) + "}";
}

// RFC 7515 A.3's P-256 key.
const std::string kEcJwk =
    R"({"kty":"EC","crv":"P-256","kid":"ec-1","alg":"ES256","use":"sig",)"
    R"("x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})";

TEST(ParseJwks, TakesRsaAndP256KeysWithTheirKids) {
  const KeySetResult parsed = parse_jwks(R"({"keys":[)" + rfc_rsa_jwk("rsa-1", R"(,"alg":"RS256","use":"sig")") + "," +
                                         kEcJwk + "]}");
  ASSERT_TRUE(parsed.key_set) << parsed.error;
  ASSERT_NE(parsed.key_set->find("rsa-1"), nullptr);
  EXPECT_EQ(parsed.key_set->find("rsa-1")->algorithm(), Algorithm::RS256);
  ASSERT_NE(parsed.key_set->find("ec-1"), nullptr);
  EXPECT_EQ(parsed.key_set->find("ec-1")->algorithm(), Algorithm::ES256);
  EXPECT_EQ(parsed.key_set->signing_key(), nullptr);
}

TEST(ParseJwks, RfcTokenVerifiesWithTheParsedKey) {
  const KeySet keys = must(parse_jwks(R"({"keys":[)" + rfc_rsa_jwk("2010-12-29") + "]}"));
  auto vec = read_vec("rfc7515_a2_rs256.vec");
  const std::string& token = vec["token"];
  const auto dot = token.rfind('.');
  EXPECT_TRUE(keys.find("2010-12-29")->verify(std::string_view(token).substr(0, dot),
                                              base64url_decode(token.substr(dot + 1)).value()));
}

TEST(ParseJwks, SkipsKeysOfOtherKindsOrUnusable) {
  const std::string doc = R"({"keys":[)" +
      rfc_rsa_jwk("enc", R"(,"use":"enc")") + "," +
      rfc_rsa_jwk("ps256", R"(,"alg":"PS256")") + "," +
      rfc_rsa_jwk("") + "," +
      R"({"kty":"RSA","n":"AQAB","e":"AQAB"},)" +
      R"({"kty":"RSA","kid":"tiny","n":"AQAB","e":"AQAB"},)" +
      R"({"kty":"RSA","kid":"bad64","n":"a+b/","e":"AQAB"},)" +
      R"({"kty":"oct","kid":"hmac","k":"c2VjcmV0"},)" +
      R"({"kty":"OKP","kid":"ed","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},)" +
      R"({"kty":"EC","kid":"p384","crv":"P-384","x":"AA","y":"AA"},)" +
      R"({"kty":"EC","kid":"offcurve","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},)" +
      R"("not an object",)" + rfc_rsa_jwk("good") + "]}";
  const KeySetResult parsed = parse_jwks(doc);
  ASSERT_TRUE(parsed.key_set) << parsed.error;
  EXPECT_EQ(parsed.key_set->keys().size(), 1u);
  EXPECT_NE(parsed.key_set->find("good"), nullptr);
}

TEST(ParseJwks, RefusesDocumentsThatAreNotAJwks) {
  for (const char* doc : {"", "[]", "{}", R"({"keys":{}})", R"({"keys":[]} x)", R"({"keys":[],"keys":[]})"}) {
    EXPECT_FALSE(parse_jwks(doc).key_set) << doc;
  }
  EXPECT_TRUE(parse_jwks(R"({"keys":[]})").key_set);
}

// jwks_fuzz's finding: a usable key whose kid held a lone surrogate escape was taken, and our own
// JWKS output of it (the kid's non-UTF-8 bytes) did not read back. Such a document is refused now.
TEST(ParseJwks, FuzzFindingKidWithALoneSurrogateIsRefusedNotTaken) {
  std::string ec = kEcJwk;
  ec.replace(ec.find("ec-1"), 4, R"(ec-\ude00)");
  EXPECT_FALSE(parse_jwks(R"({"keys":[)" + ec + "]}").key_set);
  ec = kEcJwk;
  ec.replace(ec.find("ec-1"), 4, R"(ec-\ud83d\ude00)");  // a pair: one character, taken and written back
  const KeySetResult parsed = parse_jwks(R"({"keys":[)" + ec + "]}");
  ASSERT_TRUE(parsed.key_set) << parsed.error;
  const KeySetResult again = parse_jwks(jwks_json(*parsed.key_set));
  ASSERT_TRUE(again.key_set) << again.error;
  EXPECT_NE(again.key_set->find("ec-\xF0\x9F\x98\x80"), nullptr);
}

TEST(ParseJwks, RefusesTwoUsableKeysWithOneKid) {
  EXPECT_FALSE(parse_jwks(R"({"keys":[)" + rfc_rsa_jwk("same") + "," + rfc_rsa_jwk("same") + "]}").key_set);
}

TEST(ParseJwks, JwksJsonOfAnRsaSetParsesBack) {
  const KeySet keys = must(parse_jwks(R"({"keys":[)" + rfc_rsa_jwk("r") + "," + kEcJwk + "]}"));
  const KeySet again = must(parse_jwks(jwks_json(keys)));
  EXPECT_EQ(again.keys().size(), 2u);
  EXPECT_EQ(again.find("r")->public_jwk()->n, keys.find("r")->public_jwk()->n);
}

}  // namespace
}  // namespace latchkey::jwt
