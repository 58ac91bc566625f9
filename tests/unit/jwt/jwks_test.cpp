// jwks.h: public keys listed with the members clients need, secrets never.
#include "jwt/jwks.h"

#include <botan/ed25519.h>
#include <rapidjson/document.h>
#include <gtest/gtest.h>

#include "jwt_test_support.h"

namespace latchkey::jwt {
namespace {

using testing::generated_key;
using testing::must;

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  EXPECT_FALSE(doc.HasParseError()) << json;
  return doc;
}

TEST(JwtJwks, Hs256KeysAreNeverListed) {
  const KeySet keys = must(KeySet::create(testing::hs256_key("a"), {testing::hs256_key("b")}));
  EXPECT_EQ(jwks_json(keys), R"({"keys":[]})");
}

TEST(JwtJwks, ListsEd25519AsOkpWithCrvAndX) {
  const Key ed = generated_key(Algorithm::EdDSA, "ed-1");
  const rapidjson::Document doc = parse(jwks_json(must(KeySet::create(ed))));
  ASSERT_EQ(doc["keys"].Size(), 1u);
  const auto& jwk = doc["keys"][0];
  EXPECT_STREQ(jwk["kty"].GetString(), "OKP");
  EXPECT_STREQ(jwk["crv"].GetString(), "Ed25519");
  EXPECT_EQ(base64url_decode(jwk["x"].GetString())->size(), 32u);
  EXPECT_FALSE(jwk.HasMember("y"));
  EXPECT_FALSE(jwk.HasMember("d"));
  EXPECT_STREQ(jwk["kid"].GetString(), "ed-1");
  EXPECT_STREQ(jwk["alg"].GetString(), "EdDSA");
  EXPECT_STREQ(jwk["use"].GetString(), "sig");
}

TEST(JwtJwks, ListsEs256AsEcWithCrvXAndY) {
  const Key ec = generated_key(Algorithm::ES256, "ec-1");
  const rapidjson::Document doc = parse(jwks_json(must(KeySet::create(ec))));
  ASSERT_EQ(doc["keys"].Size(), 1u);
  const auto& jwk = doc["keys"][0];
  EXPECT_STREQ(jwk["kty"].GetString(), "EC");
  EXPECT_STREQ(jwk["crv"].GetString(), "P-256");
  EXPECT_EQ(base64url_decode(jwk["x"].GetString())->size(), 32u);
  EXPECT_EQ(base64url_decode(jwk["y"].GetString())->size(), 32u);
  EXPECT_FALSE(jwk.HasMember("d"));
  EXPECT_STREQ(jwk["kid"].GetString(), "ec-1");
  EXPECT_STREQ(jwk["alg"].GetString(), "ES256");
  EXPECT_STREQ(jwk["use"].GetString(), "sig");
}

TEST(JwtJwks, ListsSigningAndVerifyKeysButNotSecrets) {
  const KeySet keys = must(KeySet::create(generated_key(Algorithm::EdDSA, "new"),
                                          {generated_key(Algorithm::ES256, "old"),
                                           testing::hs256_key("older-secret")}));
  const rapidjson::Document doc = parse(jwks_json(keys));
  ASSERT_EQ(doc["keys"].Size(), 2u);
  EXPECT_STREQ(doc["keys"][0]["kid"].GetString(), "new");
  EXPECT_STREQ(doc["keys"][1]["kid"].GetString(), "old");
  EXPECT_EQ(jwks_json(keys).find(std::string(testing::kSecret)), std::string::npos);
}

TEST(JwtJwks, PublishedXMatchesTheRfc8037Key) {
  auto vec = testing::read_vec("rfc8037_ed25519.vec");
  const auto seed = *base64url_decode(vec["d"]);
  const std::string pem = Botan::PKCS8::PEM_encode(
      Botan::Ed25519_PrivateKey(Botan::secure_vector<std::uint8_t>(seed.begin(), seed.end())));
  const rapidjson::Document doc = parse(jwks_json(must(KeySet::create(must(Key::from_private_pem(pem))))));
  EXPECT_STREQ(doc["keys"][0]["x"].GetString(), vec["x"].c_str());
  EXPECT_STREQ(doc["keys"][0]["kid"].GetString(), vec["thumbprint"].c_str());
}

}  // namespace
}  // namespace latchkey::jwt
