// verify_id_token: Google's documented checks, and attacks refused before claims are read.
#include "google/id_token.h"

#include "google_test_support.h"

namespace latchkey::google {
namespace {

using namespace std::chrono_literals;
using testing::provider_key;
using testing::provider_keys;

constexpr std::int64_t kNow = 1'800'000'000;
const std::string kClient = "client-123.apps.googleusercontent.com";

std::string claims(const std::string& iss = "https://accounts.google.com", const std::string& aud = "\"" + kClient + "\"",
                   std::int64_t iat = kNow - 10, std::int64_t exp = kNow + 3590, const std::string& extra = "") {
  return R"({"iss":")" + iss + R"(","aud":)" + aud + R"(,"sub":"1234567890","email":"Ann@Example.com",)" +
         R"("email_verified":true,"iat":)" + std::to_string(iat) + R"(,"exp":)" + std::to_string(exp) + extra + "}";
}

VerifiedIdToken check(const std::string& token, const jwt::KeySet& keys = provider_keys()) {
  return verify_id_token(token, keys, {kClient, 30s, std::chrono::sys_seconds(std::chrono::seconds(kNow)), {}});
}

TEST(GoogleIdToken, GoodTokenGivesTheIdentity) {
  const VerifiedIdToken v = check(jwt::sign_jws(provider_key(), claims(), "JWT"));
  ASSERT_EQ(v.error, IdTokenError::none);
  EXPECT_EQ(v.identity.subject, "1234567890");
  EXPECT_EQ(v.identity.email, "Ann@Example.com");
  EXPECT_TRUE(v.identity.email_verified);
  EXPECT_EQ(check(jwt::sign_jws(provider_key(), claims("accounts.google.com"))).error, IdTokenError::none);
}

TEST(GoogleIdToken, RefusesWrongIssuerAudienceAndTimes) {
  EXPECT_EQ(check(jwt::sign_jws(provider_key(), claims("https://evil.example"))).error, IdTokenError::wrong_issuer);
  EXPECT_EQ(check(jwt::sign_jws(provider_key(), claims("http://accounts.google.com"))).error, IdTokenError::wrong_issuer);
  EXPECT_EQ(check(jwt::sign_jws(provider_key(), claims(kGoogleIssuers[1].data(), "\"other\""))).error,
            IdTokenError::wrong_audience);
  EXPECT_EQ(check(jwt::sign_jws(provider_key(), claims(kGoogleIssuers[1].data(), "[\"" + kClient + "\",\"x\"]"))).error,
            IdTokenError::wrong_audience);
  EXPECT_EQ(check(jwt::sign_jws(provider_key(), claims(kGoogleIssuers[1].data(), "[\"" + kClient + "\"]"))).error,
            IdTokenError::none);
  EXPECT_EQ(check(jwt::sign_jws(provider_key(), claims(kGoogleIssuers[1].data(), "\"" + kClient + "\"", kNow - 4000,
                                                       kNow - 31))).error, IdTokenError::expired);
  EXPECT_EQ(check(jwt::sign_jws(provider_key(), claims(kGoogleIssuers[1].data(), "\"" + kClient + "\"", kNow - 4000,
                                                       kNow - 29))).error, IdTokenError::none);  // within leeway
  EXPECT_EQ(check(jwt::sign_jws(provider_key(), claims(kGoogleIssuers[1].data(), "\"" + kClient + "\"", kNow + 60,
                                                       kNow + 3600))).error, IdTokenError::not_yet_valid);
}

TEST(GoogleIdToken, RefusesClaimsOfTheWrongType) {
  for (const char* bad : {R"({"iss":"accounts.google.com","aud":"c","sub":1,"iat":1,"exp":2})",
                          R"({"iss":"accounts.google.com","aud":"c","sub":"1","iat":1,"exp":"2"})",
                          R"({"iss":"accounts.google.com","aud":"c","sub":"1","exp":2})",
                          R"({"iss":"accounts.google.com","sub":"1","iat":1,"exp":2})",
                          R"({"iss":"accounts.google.com","aud":"c","sub":"","iat":1,"exp":2})"}) {
    EXPECT_EQ(check(jwt::sign_jws(provider_key(), bad)).error, IdTokenError::bad_claims) << bad;
  }
}

TEST(GoogleIdToken, EmailIsVerifiedOnlyForJsonTrue) {
  for (const char* value : {"false", "\"true\"", "1", "null"}) {
    std::string c = claims();
    c.replace(c.find("\"email_verified\":true"), 21, std::string("\"email_verified\":") + value);
    const VerifiedIdToken v = check(jwt::sign_jws(provider_key(), c));
    ASSERT_EQ(v.error, IdTokenError::none) << value;
    EXPECT_FALSE(v.identity.email_verified) << value;
  }
}

TEST(GoogleIdToken, RefusesAnotherKeyUnknownKidNoneAndHmacConfusion) {
  // Same kid, another RSA key: bad signature.
  const jwt::Key other = jwt::testing::must(jwt::Key::from_rsa_private_pem(
      Botan::PKCS8::PEM_encode(Botan::RSA_PrivateKey(Botan::system_rng(), 2048)), "g1"));
  VerifiedIdToken v = check(jwt::sign_jws(other, claims()));
  EXPECT_EQ(v.jws_error, jwt::JwsError::bad_signature);
  v = check(jwt::sign_jws(provider_key("unknown"), claims()));
  EXPECT_EQ(v.jws_error, jwt::JwsError::unknown_key);
  v = check(jwt::testing::forge(R"({"alg":"none","kid":"g1"})", claims()));
  EXPECT_EQ(v.jws_error, jwt::JwsError::bad_algorithm);
  const auto jwk = provider_key().public_jwk().value();
  v = check(jwt::sign_jws(jwt::testing::must(jwt::Key::from_hmac_secret(jwk.n, "g1")), claims()));
  EXPECT_EQ(v.jws_error, jwt::JwsError::bad_algorithm);
}

TEST(GoogleIdToken, RefusesOurOwnAccessTokenType) {
  EXPECT_EQ(check(jwt::sign_jws(provider_key(), claims(), "at+jwt")).error, IdTokenError::wrong_type);
  EXPECT_EQ(check(jwt::sign_jws(provider_key(), claims(), "jwt")).error, IdTokenError::none);
}

}  // namespace
}  // namespace latchkey::google
