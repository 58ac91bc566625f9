// COSE keys: the three algorithms we take, built into Botan keys that verify the authenticator's
// signatures, and every other algorithm, key type, curve or shape refused with the right verdict.
#include "webauthn/cose_key.h"

#include "webauthn_authenticator.h"

#include <botan/auto_rng.h>
#include <botan/bigint.h>
#include <botan/rsa.h>
#include <gtest/gtest.h>

namespace latchkey::webauthn {
namespace {

using namespace testing;  // NOLINT: the authenticator and its encoders

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (const int value : values) out.push_back(static_cast<char>(value));
  return out;
}

Verdict verdict_of(const CoseKeyResult& result) {
  if (std::holds_alternative<CoseKey>(result)) return Verdict::ok;
  return std::get<CoseKeyError>(result).verdict;
}

class CoseKeyOfEachAlgorithm : public ::testing::TestWithParam<CoseAlgorithm> {};

TEST_P(CoseKeyOfEachAlgorithm, ParsesAndVerifiesTheAuthenticatorsSignature) {
  const SoftwareAuthenticator authenticator(GetParam());
  const CoseKeyResult parsed = parse_cose_key(authenticator.cose_public_key());
  ASSERT_TRUE(std::holds_alternative<CoseKey>(parsed)) << std::get<CoseKeyError>(parsed).reason;
  const CoseKey& key = std::get<CoseKey>(parsed);
  EXPECT_EQ(key.algorithm, GetParam());
  const std::string data = "authenticator data";
  const std::string signature = authenticator.sign(data, "{}");
  EXPECT_TRUE(verify_signature(key, data + sha256("{}"), signature));
  EXPECT_FALSE(verify_signature(key, data + sha256("{ }"), signature));
  EXPECT_FALSE(verify_signature(key, data + sha256("{}"), ""));
  EXPECT_FALSE(verify_signature(key, data + sha256("{}"), std::string(signature.size(), '\0')));
}

INSTANTIATE_TEST_SUITE_P(Algorithms, CoseKeyOfEachAlgorithm,
                         ::testing::Values(CoseAlgorithm::es256, CoseAlgorithm::eddsa, CoseAlgorithm::rs256));

TEST(CoseKey, RefusesAlgorithmsNotAccepted) {
  const std::string x(32, '\1');
  for (const int64_t alg : {-35, -36, -37, -38, -39, -47, -258, -259, -65535, -65534, 0, 1, 5, -7 - 256}) {
    EXPECT_EQ(verdict_of(parse_cose_key(encode_ec2_cose_key(alg, 1, x, x))), Verdict::refused) << alg;
  }
  // alg as text (COSE allows it; we do not).
  EXPECT_EQ(verdict_of(parse_cose_key(bytes({0xa2, 0x01, 0x02, 0x03, 0x65, 'E', 'S', '2', '5', '6'}))), Verdict::refused);
}

TEST(CoseKey, RefusesKeyTypesAndCurvesNotTheAlgorithms) {
  const SoftwareAuthenticator es;
  const std::string key = es.cose_public_key();
  const std::string x = key.substr(key.size() - 67, 32);
  const std::string y = key.substr(key.size() - 32);
  ASSERT_EQ(verdict_of(parse_cose_key(encode_ec2_cose_key(-7, 1, x, y))), Verdict::ok);
  EXPECT_EQ(verdict_of(parse_cose_key(encode_ec2_cose_key(-7, 2, x, y))), Verdict::refused);  // P-384
  EXPECT_EQ(verdict_of(parse_cose_key(encode_ec2_cose_key(-7, 8, x, y))), Verdict::refused);  // secp256k1
  EXPECT_EQ(verdict_of(parse_cose_key(encode_okp_cose_key(-7, 1, x))), Verdict::refused);     // kty OKP
  EXPECT_EQ(verdict_of(parse_cose_key(encode_rsa_cose_key(-7, x, y))), Verdict::refused);     // kty RSA
  EXPECT_EQ(verdict_of(parse_cose_key(encode_okp_cose_key(-8, 4, x))), Verdict::refused);     // X25519
  EXPECT_EQ(verdict_of(parse_cose_key(encode_okp_cose_key(-8, 7, x))), Verdict::refused);     // Ed448
  EXPECT_EQ(verdict_of(parse_cose_key(encode_ec2_cose_key(-8, 6, x, y))), Verdict::refused);  // kty EC2
  EXPECT_EQ(verdict_of(parse_cose_key(encode_ec2_cose_key(-257, 1, x, y))), Verdict::refused);
  // kty 4 (Symmetric) with alg ES256.
  EXPECT_EQ(verdict_of(parse_cose_key(bytes({0xa2, 0x01, 0x04, 0x03, 0x26}))), Verdict::refused);
}

TEST(CoseKey, RefusesPointsNotOnP256AndCoordinatesOfAnotherSize) {
  const SoftwareAuthenticator es;
  const std::string key = es.cose_public_key();
  const std::string x = key.substr(key.size() - 67, 32);
  std::string y = key.substr(key.size() - 32);
  std::string off_curve = y;
  off_curve[0] = static_cast<char>(off_curve[0] ^ 0x80);
  EXPECT_EQ(verdict_of(parse_cose_key(encode_ec2_cose_key(-7, 1, x, off_curve))), Verdict::refused);
  EXPECT_EQ(verdict_of(parse_cose_key(encode_ec2_cose_key(-7, 1, std::string(32, '\0'), std::string(32, '\0')))),
            Verdict::refused);
  EXPECT_EQ(verdict_of(parse_cose_key(encode_ec2_cose_key(-7, 1, std::string(32, '\xff'), std::string(32, '\xff')))),
            Verdict::refused);  // coordinates beyond the field
  EXPECT_EQ(verdict_of(parse_cose_key(encode_ec2_cose_key(-7, 1, x.substr(1), y))), Verdict::refused);
  EXPECT_EQ(verdict_of(parse_cose_key(encode_ec2_cose_key(-7, 1, x, y + '\0'))), Verdict::refused);
  EXPECT_EQ(verdict_of(parse_cose_key(encode_okp_cose_key(-8, 6, x.substr(1)))), Verdict::refused);
}

TEST(CoseKey, RefusesSmallOrBrokenRsaKeys) {
  Botan::AutoSeeded_RNG rng;
  const Botan::RSA_PrivateKey small(rng, 1024);
  auto encoded = [](const Botan::BigInt& value) {
    const auto out = Botan::BigInt::encode(value);
    return std::string(out.begin(), out.end());
  };
  EXPECT_EQ(verdict_of(parse_cose_key(encode_rsa_cose_key(-257, encoded(small.get_n()), encoded(small.get_e())))),
            Verdict::refused);
  const SoftwareAuthenticator rs(CoseAlgorithm::rs256);
  const CoseKeyResult good = parse_cose_key(rs.cose_public_key());
  ASSERT_EQ(verdict_of(good), Verdict::ok);
  const auto& rsa = dynamic_cast<const Botan::RSA_PublicKey&>(*std::get<CoseKey>(good).key);
  const std::string n = encoded(rsa.get_n());
  EXPECT_EQ(verdict_of(parse_cose_key(encode_rsa_cose_key(-257, n, encoded(rsa.get_e())))), Verdict::ok);
  EXPECT_EQ(verdict_of(parse_cose_key(encode_rsa_cose_key(-257, n, std::string("\x01\x00\x00", 3)))), Verdict::refused);
  EXPECT_EQ(verdict_of(parse_cose_key(encode_rsa_cose_key(-257, n, "\x01"))), Verdict::refused);  // e = 1
  EXPECT_EQ(verdict_of(parse_cose_key(encode_rsa_cose_key(-257, n, ""))), Verdict::refused);      // e = 0
  EXPECT_EQ(verdict_of(parse_cose_key(encode_rsa_cose_key(-257, n, n))), Verdict::refused);       // e = n
  EXPECT_EQ(verdict_of(parse_cose_key(encode_rsa_cose_key(-257, std::string(1100, '\xff'), "\x03"))),
            Verdict::refused);  // over 8192 bits
}

TEST(CoseKey, RefusesAKeyHoldingItsPrivatePart) {
  const SoftwareAuthenticator es;
  std::string key = es.cose_public_key();  // a5 ...: add -4 (d) and make it a map of 6
  key[0] = static_cast<char>(0xa6);
  key += std::string("\x23\x58\x20", 3) + std::string(32, '\x05');
  EXPECT_EQ(verdict_of(parse_cose_key(key)), Verdict::refused);
}

TEST(CoseKey, MalformedShapesAreMalformed) {
  const SoftwareAuthenticator es;
  const std::string key = es.cose_public_key();
  EXPECT_EQ(verdict_of(parse_cose_key("")), Verdict::malformed);
  EXPECT_EQ(verdict_of(parse_cose_key("\xff")), Verdict::malformed);
  EXPECT_EQ(verdict_of(parse_cose_key(key + '\0')), Verdict::malformed);               // trailing
  EXPECT_EQ(verdict_of(parse_cose_key(key.substr(0, key.size() - 1))), Verdict::malformed);
  EXPECT_EQ(verdict_of(parse_cose_key(bytes({0x82, 0x01, 0x02}))), Verdict::malformed);  // an array
  EXPECT_EQ(verdict_of(parse_cose_key(bytes({0xa1, 0x03, 0x26}))), Verdict::malformed);  // no kty
  EXPECT_EQ(verdict_of(parse_cose_key(bytes({0xa1, 0x01, 0x02}))), Verdict::malformed);  // no alg
  EXPECT_EQ(verdict_of(parse_cose_key(bytes({0xa2, 0x01, 0x02, 0x03, 0x26}))), Verdict::malformed);  // no crv, x, y
  // kty twice.
  EXPECT_EQ(verdict_of(parse_cose_key(bytes({0xa3, 0x01, 0x02, 0x01, 0x02, 0x03, 0x26}))), Verdict::malformed);
  // y as a boolean (a compressed point's sign bit): not the shape WebAuthn uses.
  std::string compressed = encode_okp_cose_key(-7, 1, std::string(32, '\1'));  // kty 1 → patch to 2, add y
  compressed[0] = static_cast<char>(0xa5);
  compressed[2] = 0x02;
  compressed += "\x22\xf5";
  EXPECT_EQ(verdict_of(parse_cose_key(compressed)), Verdict::malformed);
}

TEST(CoseKey, VerifySignatureNeverThrowsOnGarbage) {
  for (const CoseAlgorithm algorithm : {CoseAlgorithm::es256, CoseAlgorithm::eddsa, CoseAlgorithm::rs256}) {
    const SoftwareAuthenticator authenticator(algorithm);
    const CoseKey key = std::get<CoseKey>(parse_cose_key(authenticator.cose_public_key()));
    for (const std::string& signature : {std::string(), std::string(1, '\x30'), std::string("\x30\x06\x02\x01\x01\x02\x01", 7),
                                        std::string(64, '\0'), std::string(256, '\xff'), std::string(5000, 'A')}) {
      EXPECT_NO_THROW(EXPECT_FALSE(verify_signature(key, "message", signature)));
    }
  }
  EXPECT_FALSE(verify_signature(CoseKey{}, "message", "signature"));
}

}  // namespace
}  // namespace latchkey::webauthn
