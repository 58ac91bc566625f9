// RS256 (RSASSA-PKCS1-v1_5 SHA-256): the RFC 7515 A.2 vector, key limits, and that RSA stays
// verify-only for our own tokens (configs and keygen never see it).
#include <botan/pkcs8.h>
#include <botan/rsa.h>
#include <botan/system_rng.h>

#include "jwt/jws.h"
#include "jwt_test_support.h"

namespace latchkey::jwt {
namespace {

using testing::must;
using testing::read_vec;

std::vector<std::uint8_t> b64(std::string_view text) { return base64url_decode(text).value(); }

// One 2048-bit key for the whole suite: RSA key generation is slow.
const std::string& rsa_private_pem() {
  static const std::string pem = Botan::PKCS8::PEM_encode(Botan::RSA_PrivateKey(Botan::system_rng(), 2048));
  return pem;
}

TEST(Rs256, Rfc7515AppendixA2SignatureVerifies) {
  auto vec = read_vec("rfc7515_a2_rs256.vec");
  const Key key = must(Key::from_rsa_public(b64(vec["n"]), b64(vec["e"]), "2010-12-29"));
  EXPECT_EQ(key.algorithm(), Algorithm::RS256);
  EXPECT_FALSE(key.can_sign());
  const std::string& token = vec["token"];
  const auto last_dot = token.rfind('.');
  EXPECT_TRUE(key.verify(std::string_view(token).substr(0, last_dot), b64(token.substr(last_dot + 1))));

  auto flipped = b64(token.substr(last_dot + 1));
  flipped[17] ^= 0x01;
  EXPECT_FALSE(key.verify(std::string_view(token).substr(0, last_dot), flipped));
  EXPECT_FALSE(key.verify(std::string_view(token).substr(0, last_dot - 1), b64(token.substr(last_dot + 1))));
}

TEST(Rs256, PublicJwkRoundTripsTheRfcKey) {
  auto vec = read_vec("rfc7515_a2_rs256.vec");
  const Key key = must(Key::from_rsa_public(b64(vec["n"]), b64(vec["e"])));
  const auto jwk = key.public_jwk();
  ASSERT_TRUE(jwk);
  EXPECT_EQ(jwk->kty, "RSA");
  EXPECT_EQ(jwk->n, vec["n"]);
  EXPECT_EQ(jwk->e, "AQAB");
  EXPECT_FALSE(key.kid().empty());  // RFC 7638 thumbprint when no kid is given
}

TEST(Rs256, SignedTokenVerifiesThroughVerifyJws) {
  const Key signer = must(Key::from_rsa_private_pem(rsa_private_pem(), "rsa-1"));
  ASSERT_TRUE(signer.can_sign());
  const auto jwk = signer.public_jwk().value();
  const KeySet keys = must(KeySet::verify_only({must(Key::from_rsa_public(b64(jwk.n), b64(jwk.e), "rsa-1"))}));
  const std::string token = sign_jws(signer, R"({"sub":"1"})", "JWT");
  const VerifiedJws verified = verify_jws(token, keys);
  EXPECT_EQ(verified.error, JwsError::none);
  EXPECT_EQ(verified.payload_json, R"({"sub":"1"})");
}

TEST(Rs256, RefusesSignaturesOfTheWrongLength) {
  const Key signer = must(Key::from_rsa_private_pem(rsa_private_pem(), "rsa-1"));
  auto signature = signer.sign("a.b");
  EXPECT_TRUE(signer.verify("a.b", signature));
  auto longer = signature;
  longer.insert(longer.begin(), 0);
  EXPECT_FALSE(signer.verify("a.b", longer));
  signature.pop_back();
  EXPECT_FALSE(signer.verify("a.b", signature));
  EXPECT_FALSE(signer.verify("a.b", {}));
}

TEST(Rs256, RefusesModuliUnder2048BitsAndBadExponents) {
  const Botan::RSA_PrivateKey small(Botan::system_rng(), 1024);
  const auto n = Botan::BigInt::encode(small.get_n());
  const auto e = Botan::BigInt::encode(small.get_e());
  EXPECT_FALSE(Key::from_rsa_public(n, e).key);
  EXPECT_FALSE(Key::from_rsa_private_pem(Botan::PKCS8::PEM_encode(small)).key);

  auto vec = read_vec("rfc7515_a2_rs256.vec");
  const std::vector<std::uint8_t> one{1}, even{0x01, 0x00, 0x00};
  EXPECT_FALSE(Key::from_rsa_public(b64(vec["n"]), one).key);
  EXPECT_FALSE(Key::from_rsa_public(b64(vec["n"]), even).key);
  EXPECT_FALSE(Key::from_rsa_public({}, b64(vec["e"])).key);
}

TEST(Rs256, PemLoadersForOurOwnKeysRefuseRsa) {
  EXPECT_FALSE(Key::from_private_pem(rsa_private_pem()).key);
  const Key key = must(Key::from_rsa_private_pem(rsa_private_pem()));
  EXPECT_FALSE(generate_private_key_pem(Algorithm::RS256));
  EXPECT_FALSE(parse_algorithm("RS256"));  // tokens.algorithm and keygen stay HS256/EdDSA/ES256
  EXPECT_EQ(parse_jws_algorithm("RS256"), Algorithm::RS256);
  EXPECT_FALSE(parse_jws_algorithm("rs256"));
  EXPECT_FALSE(parse_jws_algorithm("RS384"));
}

TEST(Rs256, RefusesHs256SignedWithTheRsaPublicKeyBytes) {
  const Key signer = must(Key::from_rsa_private_pem(rsa_private_pem(), "rsa-1"));
  const auto jwk = signer.public_jwk().value();
  const KeySet keys = must(KeySet::verify_only({must(Key::from_rsa_public(b64(jwk.n), b64(jwk.e), "rsa-1"))}));
  const auto n = b64(jwk.n);
  for (const std::string& secret : {std::string(n.begin(), n.end()), jwk.n,
                                    std::string(R"({"kty":"RSA","n":")") + jwk.n + R"(","e":"AQAB"})"}) {
    const Key hmac = must(Key::from_hmac_secret(secret, "rsa-1"));
    EXPECT_EQ(verify_jws(sign_jws(hmac, R"({"sub":"1"})"), keys).error, JwsError::bad_algorithm);
  }
}

TEST(Rs256, RefusesAnRs256TokenAgainstAnEs256KeyOfTheSameKid) {
  const Key signer = must(Key::from_rsa_private_pem(rsa_private_pem(), "k"));
  const KeySet keys = must(KeySet::verify_only({testing::generated_key(Algorithm::ES256, "k")}));
  EXPECT_EQ(verify_jws(sign_jws(signer, "{}"), keys).error, JwsError::bad_algorithm);
}

}  // namespace
}  // namespace latchkey::jwt
