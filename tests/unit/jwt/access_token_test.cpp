// access_token.h: RFC 9068 access tokens as CONTRACT §3 fixes them, and every claim check.
#include "jwt/access_token.h"

#include <limits>
#include <map>

#include <gtest/gtest.h>

#include "jwt_test_support.h"

namespace latchkey::jwt {
namespace {

using testing::at;

constexpr std::int64_t kNow = 1'700'000'000;

class JwtAccessToken : public ::testing::Test {
 protected:
  JwtAccessToken() {
    check_.issuer = "latchkey";
    check_.audience = "latchkey-api";
    check_.leeway = std::chrono::seconds(30);
    check_.now = at(kNow);
  }

  VerifiedAccessToken verify(std::string_view token) const {
    return verify_access_token(token, keys_, check_);
  }

  // Claims as raw JSON values by name; tests replace or erase some, then sign them.
  std::map<std::string, std::string> claims_ = {
      {"iss", R"("latchkey")"}, {"aud", R"("latchkey-api")"}, {"sub", R"("u1")"},
      {"email", R"("a@b.c")"},  {"roles", R"(["user"])"},     {"sid", R"("s1")"},
      {"jti", R"("j1")"},       {"iat", std::to_string(kNow)}, {"exp", std::to_string(kNow + 900)}};

  std::string signed_claims(std::string_view header = R"({"alg":"HS256","typ":"at+jwt","kid":"hs"})") const {
    std::string json = "{";
    for (const auto& [name, value] : claims_) json += "\"" + name + "\":" + value + ",";
    json.back() = '}';
    return testing::forge(header, json, &hs_);
  }

  AccessTokenError error_with(const std::string& name, const std::string& value) {
    claims_[name] = value;
    return verify(signed_claims()).error;
  }

  Key hs_ = testing::hs256_key("hs");
  KeySet keys_ = testing::must(KeySet::create(hs_, {testing::generated_key(Algorithm::EdDSA, "ed")}));
  AccessTokenCheck check_;
  AccessTokenSettings settings_{"latchkey", "latchkey-api", std::chrono::seconds(900)};
  AccessTokenSubject alice_{"u-42", "alice@example.com", {"user", "admin"}, "sess-7", {"pwd", "otp"}, kNow - 60};
};

TEST_F(JwtAccessToken, SignedTokenVerifiesWithEveryClaim) {
  const IssuedAccessToken issued = sign_access_token(keys_, alice_, settings_, at(kNow));
  const VerifiedAccessToken verified = verify(issued.token);
  ASSERT_EQ(verified.error, AccessTokenError::none);
  const AccessTokenClaims& c = verified.claims;
  EXPECT_EQ(c.iss, "latchkey");
  EXPECT_EQ(c.aud, std::vector<std::string>{"latchkey-api"});
  EXPECT_EQ(c.sub, "u-42");
  EXPECT_EQ(c.email, "alice@example.com");
  EXPECT_EQ(c.roles, (std::vector<std::string>{"user", "admin"}));
  EXPECT_EQ(c.sid, "sess-7");
  EXPECT_EQ(c.jti, issued.jti);
  EXPECT_EQ(c.iat, kNow);
  EXPECT_EQ(c.exp, kNow + 900);
  EXPECT_EQ(c.amr, (std::vector<std::string>{"pwd", "otp"}));
  EXPECT_EQ(c.auth_time, kNow - 60);
  EXPECT_NE(verified.claims_json.find(R"("sub":"u-42")"), std::string::npos);
  EXPECT_NE(verified.claims_json.find(R"("amr":["pwd","otp"])"), std::string::npos);
}

TEST_F(JwtAccessToken, HeaderHasAlgTypAtJwtAndKid) {
  const IssuedAccessToken issued = sign_access_token(keys_, alice_, settings_, at(kNow));
  const CompactJws jws = parse_compact(issued.token);
  ASSERT_EQ(jws.error, JwsError::none);
  EXPECT_STREQ(jws.header["alg"].GetString(), "HS256");
  EXPECT_STREQ(jws.header["typ"].GetString(), "at+jwt");
  EXPECT_STREQ(jws.header["kid"].GetString(), "hs");
}

TEST_F(JwtAccessToken, ExpMinusIatIsTheTtlExactly) {
  settings_.ttl = std::chrono::seconds(123);
  const IssuedAccessToken issued = sign_access_token(keys_, alice_, settings_, at(kNow));
  EXPECT_EQ(issued.exp - issued.iat, 123);
  EXPECT_EQ(issued.iat, kNow);
}

TEST_F(JwtAccessToken, JtiIs128RandomBitsInBase64Url) {
  const auto first = sign_access_token(keys_, alice_, settings_, at(kNow)).jti;
  const auto second = sign_access_token(keys_, alice_, settings_, at(kNow)).jti;
  EXPECT_EQ(base64url_decode(first)->size(), 16u);
  EXPECT_NE(first, second);
}

TEST_F(JwtAccessToken, RefusesTypMissingOrDifferent) {
  const std::string no_typ = signed_claims(R"({"alg":"HS256","kid":"hs"})");
  EXPECT_EQ(verify(no_typ).error, AccessTokenError::wrong_type);
  for (const char* typ : {"JWT", "AT+JWT", "at+JWT", "at+jwt ", "application/at+jwt", ""}) {
    const std::string header = std::string(R"({"alg":"HS256","kid":"hs","typ":")") + typ + "\"}";
    EXPECT_EQ(verify(signed_claims(header)).error, AccessTokenError::wrong_type) << typ;
  }
}

TEST_F(JwtAccessToken, ReportsJwsFailuresAsInvalidWithTheReason) {
  const VerifiedAccessToken result = verify(signed_claims(R"({"alg":"none","typ":"at+jwt","kid":"hs"})"));
  EXPECT_EQ(result.error, AccessTokenError::invalid_jws);
  EXPECT_EQ(result.jws_error, JwsError::bad_algorithm);
  EXPECT_TRUE(result.claims_json.empty());
}

TEST_F(JwtAccessToken, RefusesExpAsStringFloatOrNull) {
  EXPECT_EQ(error_with("exp", "\"" + std::to_string(kNow + 900) + "\""), AccessTokenError::bad_claims);
  EXPECT_EQ(error_with("exp", std::to_string(kNow + 900) + ".5"), AccessTokenError::bad_claims);
  EXPECT_EQ(error_with("exp", "1.7e9"), AccessTokenError::bad_claims);
  EXPECT_EQ(error_with("exp", "null"), AccessTokenError::bad_claims);
}

TEST_F(JwtAccessToken, RefusesMissingRequiredClaims) {
  for (const char* name : {"exp", "iat", "iss", "aud", "sub", "email", "roles", "sid", "jti"}) {
    auto saved = claims_;
    claims_.erase(name);
    EXPECT_EQ(verify(signed_claims()).error, AccessTokenError::bad_claims) << name;
    claims_ = saved;
  }
}

TEST_F(JwtAccessToken, RefusesSubAsNumberNullOrEmpty) {
  EXPECT_EQ(error_with("sub", "42"), AccessTokenError::bad_claims);
  EXPECT_EQ(error_with("sub", "null"), AccessTokenError::bad_claims);
  EXPECT_EQ(error_with("sub", R"("")"), AccessTokenError::bad_claims);
  EXPECT_EQ(error_with("sub", R"(["u1"])"), AccessTokenError::bad_claims);
}

TEST_F(JwtAccessToken, RefusesRolesThatAreNotAnArrayOfStrings) {
  EXPECT_EQ(error_with("roles", R"("admin")"), AccessTokenError::bad_claims);
  EXPECT_EQ(error_with("roles", R"(["user",1])"), AccessTokenError::bad_claims);
  EXPECT_EQ(error_with("roles", R"([["admin"]])"), AccessTokenError::bad_claims);
  EXPECT_EQ(error_with("roles", "[]"), AccessTokenError::none);
}

// Tokens signed before amr and auth_time existed still verify; present, they must have their types.
TEST_F(JwtAccessToken, AmrAndAuthTimeAreOptionalButTyped) {
  const VerifiedAccessToken without = verify(signed_claims());
  ASSERT_EQ(without.error, AccessTokenError::none);
  EXPECT_TRUE(without.claims.amr.empty());
  EXPECT_EQ(without.claims.auth_time, 0);
  EXPECT_EQ(error_with("amr", R"(["pwd","otp"])"), AccessTokenError::none);
  EXPECT_EQ(error_with("auth_time", std::to_string(kNow)), AccessTokenError::none);
  EXPECT_EQ(error_with("amr", R"("pwd")"), AccessTokenError::bad_claims);
  claims_["amr"] = R"(["pwd"])";
  EXPECT_EQ(error_with("amr", R"(["pwd",1])"), AccessTokenError::bad_claims);
  claims_["amr"] = R"(["pwd"])";
  EXPECT_EQ(error_with("auth_time", R"("1700000000")"), AccessTokenError::bad_claims);
  EXPECT_EQ(error_with("auth_time", "1.5"), AccessTokenError::bad_claims);
}

TEST_F(JwtAccessToken, RefusesSidAndJtiOfWrongType) {
  EXPECT_EQ(error_with("sid", "7"), AccessTokenError::bad_claims);
  claims_["sid"] = R"("s1")";
  EXPECT_EQ(error_with("jti", "null"), AccessTokenError::bad_claims);
}

TEST_F(JwtAccessToken, ExpiredBeyondLeewayIsTokenExpired) {
  check_.now = at(kNow + 900 + 31);
  EXPECT_EQ(verify(signed_claims()).error, AccessTokenError::expired);
}

TEST_F(JwtAccessToken, ExpiredWithinLeewayStillVerifies) {
  check_.now = at(kNow + 900 + 30);
  EXPECT_EQ(verify(signed_claims()).error, AccessTokenError::none);
  check_.leeway = std::chrono::seconds(0);
  check_.now = at(kNow + 900);
  EXPECT_EQ(verify(signed_claims()).error, AccessTokenError::none);
  check_.now = at(kNow + 901);
  EXPECT_EQ(verify(signed_claims()).error, AccessTokenError::expired);
}

TEST_F(JwtAccessToken, RefusesNbfInTheFutureBeyondLeeway) {
  EXPECT_EQ(error_with("nbf", std::to_string(kNow + 31)), AccessTokenError::not_yet_valid);
  EXPECT_EQ(error_with("nbf", std::to_string(kNow + 30)), AccessTokenError::none);
  EXPECT_EQ(error_with("nbf", R"("0")"), AccessTokenError::bad_claims);
}

TEST_F(JwtAccessToken, RefusesIatInTheFutureBeyondLeeway) {
  EXPECT_EQ(error_with("iat", std::to_string(kNow + 31)), AccessTokenError::not_yet_valid);
  EXPECT_EQ(error_with("iat", std::to_string(kNow + 30)), AccessTokenError::none);
}

TEST_F(JwtAccessToken, RefusesWrongIssuer) {
  EXPECT_EQ(error_with("iss", R"("attacker")"), AccessTokenError::wrong_issuer);
  EXPECT_EQ(error_with("iss", R"("Latchkey")"), AccessTokenError::wrong_issuer);
}

TEST_F(JwtAccessToken, RefusesWrongAudience) {
  EXPECT_EQ(error_with("aud", R"("other-api")"), AccessTokenError::wrong_audience);
  EXPECT_EQ(error_with("aud", R"(["other-api"])"), AccessTokenError::wrong_audience);
  EXPECT_EQ(error_with("aud", "[]"), AccessTokenError::wrong_audience);
  EXPECT_EQ(error_with("aud", R"(["latchkey-api",7])"), AccessTokenError::bad_claims);
}

TEST_F(JwtAccessToken, AcceptsAudArrayContainingOurs) {
  EXPECT_EQ(error_with("aud", R"(["other-api","latchkey-api"])"), AccessTokenError::none);
}

TEST_F(JwtAccessToken, ExpiredTokenOfAnotherIssuerIsInvalidNotExpired) {
  check_.now = at(kNow + 10'000);
  EXPECT_EQ(error_with("iss", R"("attacker")"), AccessTokenError::wrong_issuer);
}

TEST_F(JwtAccessToken, ExtremeTimesDoNotOverflow) {
  EXPECT_EQ(error_with("exp", std::to_string(std::numeric_limits<std::int64_t>::max())),
            AccessTokenError::none);
  EXPECT_EQ(error_with("exp", std::to_string(std::numeric_limits<std::int64_t>::min())),
            AccessTokenError::expired);
  claims_["exp"] = std::to_string(kNow + 900);
  EXPECT_EQ(error_with("nbf", std::to_string(std::numeric_limits<std::int64_t>::min())),
            AccessTokenError::none);
  EXPECT_EQ(error_with("exp", "18446744073709551615"), AccessTokenError::bad_claims);
}

TEST_F(JwtAccessToken, TokenSignedByARotatedOutKeyFails) {
  const IssuedAccessToken issued = sign_access_token(keys_, alice_, settings_, at(kNow));
  const KeySet rotated = testing::must(KeySet::create(testing::generated_key(Algorithm::ES256, "new")));
  const VerifiedAccessToken result = verify_access_token(issued.token, rotated, check_);
  EXPECT_EQ(result.error, AccessTokenError::invalid_jws);
  EXPECT_EQ(result.jws_error, JwsError::unknown_key);
}

}  // namespace
}  // namespace latchkey::jwt
