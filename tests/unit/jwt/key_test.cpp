// key.h: loading, one algorithm per key, RFC 8037 vectors, ES256's raw signature form, keygen.
#include "jwt/key.h"

#include <atomic>
#include <cstdio>
#include <thread>

#include <botan/data_src.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/pkcs8.h>
#include <botan/system_rng.h>
#include <botan/x509_key.h>
#include <gtest/gtest.h>

#include "jwt_test_support.h"

namespace latchkey::jwt {
namespace {

using testing::bytes_to_string;
using testing::generated_key;
using testing::must;
using testing::public_pem_of;

// The RFC 8037 A.1 key, loaded the way operators load keys: from a PKCS#8 PEM.
std::string rfc8037_private_pem() {
  const auto seed = *base64url_decode(testing::read_vec("rfc8037_ed25519.vec")["d"]);
  return Botan::PKCS8::PEM_encode(
      Botan::Ed25519_PrivateKey(Botan::secure_vector<std::uint8_t>(seed.begin(), seed.end())));
}

TEST(JwtKey, RefusesHs256SecretOf31Bytes) {
  const KeyResult result = Key::from_hmac_secret(std::string(31, 's'));
  EXPECT_FALSE(result.key);
  EXPECT_NE(result.error.find("at least 32 bytes"), std::string::npos) << result.error;
}

TEST(JwtKey, AcceptsHs256SecretOf32Bytes) {
  const KeyResult result = Key::from_hmac_secret(std::string(32, 's'));
  ASSERT_TRUE(result.key) << result.error;
  EXPECT_EQ(result.key->algorithm(), Algorithm::HS256);
  EXPECT_TRUE(result.key->can_sign());
}

TEST(JwtKey, Hs256DefaultKidIsStableAndDoesNotContainTheSecret) {
  const Key a = must(Key::from_hmac_secret(testing::kSecret));
  const Key b = must(Key::from_hmac_secret(testing::kSecret));
  const Key other = must(Key::from_hmac_secret(std::string(40, 'z')));
  EXPECT_EQ(a.kid(), b.kid());
  EXPECT_NE(a.kid(), other.kid());
  EXPECT_EQ(a.kid().find(testing::kSecret.substr(0, 8)), std::string::npos);
  EXPECT_EQ(a.kid().find(base64url_encode(testing::kSecret).substr(0, 8)), std::string::npos);
  EXPECT_FALSE(a.public_jwk());
}

// RFC 4231 test case 7 (a 131-byte key), signed again and again: the keyed HMAC objects that
// Key reuses must start every MAC afresh.
TEST(JwtKey, Hs256MatchesRfc4231AndReusedMacsStartAfresh) {
  const Key key = must(Key::from_hmac_secret(std::string(131, '\xaa'), "k"));
  const std::string data =
      "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be "
      "hashed before being used by the HMAC algorithm.";
  const std::string expected = "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2";
  for (int i = 0; i < 3; ++i) {
    const std::vector<std::uint8_t> tag = key.sign(data);
    std::string hex;
    for (std::uint8_t b : tag) hex += "0123456789abcdef"[b >> 4], hex += "0123456789abcdef"[b & 15];
    EXPECT_EQ(hex, expected) << "call " << i;
    EXPECT_FALSE(key.verify("other " + data, tag));  // a wrong message in between
  }
}

// Two secrets verified from many threads at once (the host's workers): no MAC object ever carries
// one key's state into the other's, and copies of a Key share its objects safely.
TEST(JwtKey, Hs256KeysStayApartAcrossThreads) {
  const Key first = must(Key::from_hmac_secret(std::string(32, 'a'), "a"));
  const Key second = must(Key::from_hmac_secret(std::string(32, 'b'), "b"));
  const auto first_tag = first.sign("message");
  const auto second_tag = second.sign("message");
  ASSERT_NE(first_tag, second_tag);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      const Key copy = t % 2 ? first : second;
      for (int i = 0; i < 500; ++i) {
        if (!first.verify("message", first_tag) || second.verify("message", first_tag)) ++wrong;
        if (!copy.verify("message", t % 2 ? first_tag : second_tag)) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(JwtKey, ExplicitKidIsKept) {
  EXPECT_EQ(must(Key::from_hmac_secret(testing::kSecret, "2024-01")).kid(), "2024-01");
}

TEST(JwtKey, Rfc8037Ed25519SignatureReproducesExactly) {
  auto vec = testing::read_vec("rfc8037_ed25519.vec");
  const Key key = must(Key::from_private_pem(rfc8037_private_pem()));
  EXPECT_EQ(key.algorithm(), Algorithm::EdDSA);
  EXPECT_EQ(key.public_jwk()->x, vec["x"]);
  EXPECT_EQ(base64url_encode(key.sign(vec["signing_input"])), vec["signature"]);
  EXPECT_TRUE(key.verify(vec["signing_input"], *base64url_decode(vec["signature"])));
}

TEST(JwtKey, DefaultKidIsTheRfc7638Thumbprint) {
  const Key key = must(Key::from_private_pem(rfc8037_private_pem()));
  EXPECT_EQ(key.kid(), testing::read_vec("rfc8037_ed25519.vec")["thumbprint"]);
}

TEST(JwtKey, PublicPemVerifiesButCannotSign) {
  const std::string private_pem = rfc8037_private_pem();
  const Key key = must(Key::from_public_pem(public_pem_of(private_pem)));
  auto vec = testing::read_vec("rfc8037_ed25519.vec");
  EXPECT_FALSE(key.can_sign());
  EXPECT_EQ(key.kid(), vec["thumbprint"]);
  EXPECT_TRUE(key.verify(vec["signing_input"], *base64url_decode(vec["signature"])));
  EXPECT_THROW(key.sign("x"), std::logic_error);
}

TEST(JwtKey, Es256SignaturesAreRaw64BytesAndVerify) {
  const Key key = generated_key(Algorithm::ES256, "ec");
  const auto signature = key.sign("header.payload");
  ASSERT_EQ(signature.size(), 64u);  // r||s, not DER (which starts 0x30 and is 70-72 bytes)
  EXPECT_TRUE(key.verify("header.payload", signature));
  EXPECT_FALSE(key.verify("header.payloaD", signature));
  auto flipped = signature;
  flipped[10] ^= 0x01;
  EXPECT_FALSE(key.verify("header.payload", flipped));
}

TEST(JwtKey, RefusesSignaturesOfTheWrongLength) {
  for (const Algorithm algorithm : {Algorithm::EdDSA, Algorithm::ES256}) {
    const Key key = generated_key(algorithm, "k");
    auto signature = key.sign("m");
    signature.push_back(0);
    EXPECT_FALSE(key.verify("m", signature));
    signature.resize(63);
    EXPECT_FALSE(key.verify("m", signature));
    EXPECT_FALSE(key.verify("m", {}));
  }
  const Key hs = testing::hs256_key();
  auto mac = hs.sign("m");
  mac.resize(16);  // a truncated MAC prefix must not pass
  EXPECT_FALSE(hs.verify("m", mac));
}

TEST(JwtKey, GeneratedPemsLoadAsTheirAlgorithm) {
  for (const Algorithm algorithm : {Algorithm::EdDSA, Algorithm::ES256}) {
    const auto pem = generate_private_key_pem(algorithm);
    ASSERT_TRUE(pem);
    EXPECT_NE(pem->find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
    const KeyResult result = Key::from_private_pem(*pem);
    ASSERT_TRUE(result.key) << result.error;
    EXPECT_EQ(result.key->algorithm(), algorithm);
  }
  EXPECT_FALSE(generate_private_key_pem(Algorithm::HS256));
}

TEST(JwtKey, RefusesKeysOfOtherCurvesAndGarbage) {
  const std::string p384 = Botan::PKCS8::PEM_encode(
      Botan::ECDSA_PrivateKey(Botan::system_rng(), Botan::EC_Group("secp384r1")));
  const KeyResult result = Key::from_private_pem(p384);
  EXPECT_FALSE(result.key);
  EXPECT_NE(result.error.find("unsupported key type"), std::string::npos) << result.error;
  EXPECT_FALSE(Key::from_private_pem("not a pem").key);
  EXPECT_FALSE(Key::from_public_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").key);
  EXPECT_FALSE(Key::from_private_pem_file(testing::data_path("no-such-file.pem")).key);
}

TEST(JwtKey, LoadsPemFiles) {
  const std::string path = ::testing::TempDir() + "latchkey_jwt_key_test.pem";
  const std::string pem = *generate_private_key_pem(Algorithm::ES256);
  std::ofstream(path) << pem;
  const Key from_file = must(Key::from_private_pem_file(path));
  EXPECT_EQ(from_file.kid(), must(Key::from_private_pem(pem)).kid());
  std::ofstream(path) << public_pem_of(pem);
  EXPECT_EQ(must(Key::from_public_pem_file(path)).kid(), from_file.kid());
  std::remove(path.c_str());
}

}  // namespace
}  // namespace latchkey::jwt
