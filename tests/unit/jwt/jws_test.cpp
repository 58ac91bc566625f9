// jws.h and key_set.h: the RFC 7515 example, round trips for every algorithm, key rotation.
#include "jwt/jws.h"

#include <gtest/gtest.h>

#include "jwt_test_support.h"

namespace latchkey::jwt {
namespace {

using testing::forge;
using testing::generated_key;
using testing::must;

TEST(JwtRfc7515, AppendixA1Hs256VerifiesWithItsKey) {
  auto vec = testing::read_vec("rfc7515_a1_hs256.vec");
  const Key key =
      must(Key::from_hmac_secret(testing::bytes_to_string(*base64url_decode(vec["key"])), "a1"));
  const CompactJws jws = parse_compact(vec["token"]);
  ASSERT_EQ(jws.error, JwsError::none);
  EXPECT_STREQ(jws.header["alg"].GetString(), "HS256");
  EXPECT_STREQ(jws.header["typ"].GetString(), "JWT");
  EXPECT_TRUE(key.verify(jws.signing_input, jws.signature));

  std::string tampered = vec["token"];
  tampered[tampered.size() / 2] ^= 0x01;
  const CompactJws bad = parse_compact(tampered);
  EXPECT_FALSE(bad.error == JwsError::none && key.verify(bad.signing_input, bad.signature));
}

TEST(JwtRfc7515, AppendixA1IsRefusedByVerifyJwsBecauseItHasNoKid) {
  auto vec = testing::read_vec("rfc7515_a1_hs256.vec");
  const Key key =
      must(Key::from_hmac_secret(testing::bytes_to_string(*base64url_decode(vec["key"])), "a1"));
  const KeySet keys = must(KeySet::create(key));
  EXPECT_EQ(verify_jws(vec["token"], keys).error, JwsError::bad_header);
}

class JwtRoundTrip : public ::testing::TestWithParam<Algorithm> {};

TEST_P(JwtRoundTrip, SignedTokenVerifiesAndKeepsPayloadBytes) {
  const Key key = GetParam() == Algorithm::HS256 ? testing::hs256_key("k")
                                                  : generated_key(GetParam(), "k");
  const KeySet keys = must(KeySet::create(key));
  const std::string payload = R"({"hello":"w\u00f6rld","n":[1,2]})";
  const std::string token = sign_jws(key, payload, "at+jwt");

  const VerifiedJws verified = verify_jws(token, keys);
  ASSERT_EQ(verified.error, JwsError::none);
  EXPECT_EQ(verified.payload_json, payload);
  EXPECT_EQ(verified.payload["n"][1].GetInt(), 2);
  EXPECT_STREQ(verified.header["alg"].GetString(), std::string(algorithm_name(GetParam())).c_str());
  EXPECT_STREQ(verified.header["kid"].GetString(), "k");
  EXPECT_STREQ(verified.header["typ"].GetString(), "at+jwt");
}

TEST_P(JwtRoundTrip, TamperedPayloadFails) {
  const Key key = GetParam() == Algorithm::HS256 ? testing::hs256_key("k")
                                                  : generated_key(GetParam(), "k");
  const KeySet keys = must(KeySet::create(key));
  const std::string token = sign_jws(key, R"({"sub":"alice"})");
  const std::size_t first = token.find('.'), second = token.rfind('.');
  const std::string forged = token.substr(0, first + 1) +
                             base64url_encode(std::string_view(R"({"sub":"admin"})")) +
                             token.substr(second);
  EXPECT_EQ(verify_jws(forged, keys).error, JwsError::bad_signature);
}

INSTANTIATE_TEST_SUITE_P(EachAlgorithm, JwtRoundTrip,
                         ::testing::Values(Algorithm::HS256, Algorithm::EdDSA, Algorithm::ES256),
                         [](const auto& info) { return std::string(algorithm_name(info.param)); });

TEST(JwtKeyRotation, TokenOfAnOldKeyListedInVerifyKeysVerifies) {
  const Key old_key = generated_key(Algorithm::EdDSA, "2024");
  const Key new_key = generated_key(Algorithm::ES256, "2025");
  const std::string old_token = sign_jws(old_key, "{}");
  const KeySet rotated = must(KeySet::create(new_key, {old_key}));
  EXPECT_EQ(verify_jws(old_token, rotated).error, JwsError::none);
  EXPECT_EQ(verify_jws(sign_jws(*rotated.signing_key(), "{}"), rotated).error, JwsError::none);
  EXPECT_EQ(rotated.signing_key()->kid(), "2025");
}

TEST(JwtKeyRotation, TokenOfARemovedKeyFails) {
  const Key old_key = testing::hs256_key("2024");
  const KeySet after_removal = must(KeySet::create(generated_key(Algorithm::EdDSA, "2025")));
  EXPECT_EQ(verify_jws(sign_jws(old_key, "{}"), after_removal).error, JwsError::unknown_key);
}

TEST(JwtKeyRotation, VerifyOnlyPublicKeyAcceptsTokensOfItsPrivateKey) {
  const std::string pem = *generate_private_key_pem(Algorithm::ES256);
  const Key signer = must(Key::from_private_pem(pem, "old"));
  const KeySet keys = must(KeySet::create(testing::hs256_key("new"), {signer}));
  EXPECT_EQ(verify_jws(sign_jws(signer, "{}"), keys).error, JwsError::none);
}

TEST(JwtKeySet, RefusesTwoKeysWithOneKid) {
  const KeySetResult result =
      KeySet::create(testing::hs256_key("same"), {generated_key(Algorithm::EdDSA, "same")});
  EXPECT_FALSE(result.key_set);
  EXPECT_NE(result.error.find("same"), std::string::npos);
}

TEST(JwtKeySet, RefusesASigningKeyThatCannotSign) {
  const std::string pem = *generate_private_key_pem(Algorithm::EdDSA);
  const KeySetResult result =
      KeySet::create(must(Key::from_public_pem(testing::public_pem_of(pem), "pub")));
  EXPECT_FALSE(result.key_set);
  EXPECT_NE(result.error.find("no private part"), std::string::npos) << result.error;
}

TEST(JwtKeySet, VerifyOnlySetHasNoSigningKeyAndFindsByKid) {
  const KeySet keys = must(KeySet::verify_only({generated_key(Algorithm::EdDSA, "k")}));
  EXPECT_EQ(keys.signing_key(), nullptr);
  ASSERT_NE(keys.find("k"), nullptr);
  EXPECT_EQ(keys.find("k")->kid(), "k");
  EXPECT_EQ(keys.find("K"), nullptr);
  EXPECT_EQ(keys.find(""), nullptr);
}

}  // namespace
}  // namespace latchkey::jwt
