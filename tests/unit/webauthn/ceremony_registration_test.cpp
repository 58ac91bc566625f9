// §7.1 registration against the software authenticator: a good response of each algorithm is
// accepted, and each refusal of CONTRACT §10 made by changing one field of a good one.
#include "webauthn/ceremony.h"

#include "webauthn_authenticator.h"

#include <botan/auto_rng.h>
#include <botan/bigint.h>
#include <botan/rsa.h>
#include <gtest/gtest.h>

namespace latchkey::webauthn {
namespace {

using namespace testing;  // NOLINT: the authenticator and its encoders

const RelyingParty kRp{"localhost", {"http://localhost:8080", "https://app.example"}};
constexpr std::string_view kChallenge = "Y2hhbGxlbmdlLW9mLTMyLWJ5dGVzLWZvci10ZXN0cw";
const std::string kZeroAaguid(16, '\0');

class RegistrationOfEachAlgorithm : public ::testing::TestWithParam<CoseAlgorithm> {};

TEST_P(RegistrationOfEachAlgorithm, GoodResponseIsAccepted) {
  SoftwareAuthenticator authenticator(GetParam());
  const RegistrationResponse response = authenticator.make_registration(kChallenge, "user-1");
  const RegistrationResult result = verify_registration(response, kRp, kChallenge);
  ASSERT_EQ(result.verdict, Verdict::ok) << result.reason;
  ASSERT_TRUE(result.credential);
  EXPECT_EQ(result.credential->credential_id, authenticator.credential_id());
  EXPECT_EQ(result.credential->public_key, authenticator.cose_public_key());
  EXPECT_EQ(result.credential->algorithm, GetParam());
  EXPECT_EQ(result.credential->sign_count, 0u);
}

INSTANTIATE_TEST_SUITE_P(Algorithms, RegistrationOfEachAlgorithm,
                         ::testing::Values(CoseAlgorithm::es256, CoseAlgorithm::eddsa, CoseAlgorithm::rs256));

// One authenticator for the refusals below (a fresh key each test is not needed: registration
// carries no signature with attestation "none").
class Registration : public ::testing::Test {
 protected:
  RegistrationResult verify(const RegistrationResponse& response) { return verify_registration(response, kRp, kChallenge); }
  RegistrationResponse good(const CeremonyKnobs& knobs = {}) { return authenticator.make_registration(kChallenge, "u", knobs); }

  // A response whose authenticator data is `data` (otherwise good).
  RegistrationResponse with_authenticator_data(const std::string& data, std::string_view format = "none",
                                               std::string_view statement = "\xa0") {
    RegistrationResponse response = good();
    response.attestation_object = encode_attestation_object(data, format, statement);
    return response;
  }
  // Good authenticator data around another COSE key.
  RegistrationResponse with_cose_key(const std::string& key) {
    return with_authenticator_data(encode_authenticator_data(
        sha256("localhost"), kFlagUp | kFlagUv | kFlagAt, 0,
        AttestedData{kZeroAaguid, authenticator.credential_id(), key}));
  }

  void expect(const RegistrationResponse& response, Verdict verdict) {
    const RegistrationResult result = verify(response);
    EXPECT_EQ(result.verdict, verdict) << result.reason;
    EXPECT_FALSE(result.reason.empty());
    EXPECT_FALSE(result.credential);
  }

  SoftwareAuthenticator authenticator;
};

TEST_F(Registration, AcceptsEveryConfiguredOrigin) {
  EXPECT_EQ(verify(good({.origin = "https://app.example"})).verdict, Verdict::ok);
}

TEST_F(Registration, RefusesAnOriginNotConfigured) {
  expect(good({.origin = "http://localhost:8081"}), Verdict::refused);
  expect(good({.origin = "http://evil.example"}), Verdict::refused);
  expect(good({.origin = "http://localhost:8080/"}), Verdict::refused);  // not the serialised origin
  expect(good({.origin = ""}), Verdict::refused);
}

TEST_F(Registration, RefusesAnotherRpIdHash) {
  expect(good({.rp_id = "evil.example"}), Verdict::refused);
  expect(good({.rp_id = "LOCALHOST"}), Verdict::refused);
}

TEST_F(Registration, RefusesAnotherChallenge) {
  RegistrationResponse response = good();
  EXPECT_EQ(verify_registration(response, kRp, "b3RoZXItY2hhbGxlbmdl").verdict, Verdict::refused);
  EXPECT_EQ(verify_registration(response, kRp, std::string(kChallenge) + "A").verdict, Verdict::refused);
  EXPECT_EQ(verify_registration(response, kRp, kChallenge.substr(1)).verdict, Verdict::refused);
  EXPECT_EQ(verify_registration(response, kRp, "").verdict, Verdict::refused);
}

TEST_F(Registration, RefusesAnotherType) {
  expect(good({.type = "webauthn.get"}), Verdict::refused);
  expect(good({.type = "payment.get"}), Verdict::refused);
}

TEST_F(Registration, RefusesCrossOrigin) { expect(good({.cross_origin = true}), Verdict::refused); }

TEST_F(Registration, RefusesWithoutUserPresence) { expect(good({.flags = kFlagUv | kFlagAt}), Verdict::refused); }

TEST_F(Registration, RefusesWithoutUserVerification) { expect(good({.flags = kFlagUp | kFlagAt}), Verdict::refused); }

TEST_F(Registration, RefusesWithoutAttestedCredentialData) { expect(good({.flags = kFlagUp | kFlagUv}), Verdict::refused); }

TEST_F(Registration, RefusesAnAttestedCredentialIdThatIsNotTheRawId) {
  RegistrationResponse response = good();
  response.credential_id[0] ^= 1;
  expect(response, Verdict::refused);
}

TEST_F(Registration, RefusesACoseAlgorithmNotInTheList) {
  const std::string x(32, '\1');
  // ES384 (-35), ES512 (-36), PS256 (-37), RS1 (-65535), and ES256's key labelled with ECDH-ES (-25).
  for (const int64_t alg : {-35, -36, -37, -65535, -25, 0, 1}) {
    expect(with_cose_key(encode_ec2_cose_key(alg, 1, x, x)), Verdict::refused);
  }
  expect(with_cose_key(encode_okp_cose_key(-7, 6, x)), Verdict::refused);  // ES256 on an OKP key
}

TEST_F(Registration, RefusesAKeyTypeOrCurveNotTheAlgorithms) {
  const SoftwareAuthenticator ed(CoseAlgorithm::eddsa);
  const std::string x(32, '\7');
  expect(with_cose_key(encode_ec2_cose_key(-7, 2, x, x)), Verdict::refused);   // ES256 on P-384
  expect(with_cose_key(encode_ec2_cose_key(-7, 6, x, x)), Verdict::refused);   // ES256 "on Ed25519"
  expect(with_cose_key(encode_okp_cose_key(-8, 4, x)), Verdict::refused);      // EdDSA on X25519
  expect(with_cose_key(encode_okp_cose_key(-8, 1, x)), Verdict::refused);      // EdDSA "on P-256"
  expect(with_cose_key(encode_ec2_cose_key(-8, 6, x, x)), Verdict::refused);   // EdDSA on an EC2 key
  expect(with_cose_key(encode_rsa_cose_key(-7, x, std::string("\1\0\1", 3))), Verdict::refused);  // ES256 on an RSA key
}

TEST_F(Registration, RefusesAPointNotOnTheCurve) {
  // The authenticator's own point with y + 1; and (0, 0). Its COSE key ends with x's label and
  // header, x, y's label and header, y: the parts are at fixed places from the end.
  const std::string key = authenticator.cose_public_key();
  std::string x = key.substr(key.size() - 32 - 3 - 32, 32);
  std::string y = key.substr(key.size() - 32);
  ASSERT_EQ(encode_ec2_cose_key(-7, 1, x, y), key);
  y[31] = static_cast<char>(y[31] + 1);
  expect(with_cose_key(encode_ec2_cose_key(-7, 1, x, y)), Verdict::refused);
  expect(with_cose_key(encode_ec2_cose_key(-7, 1, std::string(32, '\0'), std::string(32, '\0'))), Verdict::refused);
}

TEST_F(Registration, RefusesAnRsaModulusUnder2048Bits) {
  Botan::AutoSeeded_RNG rng;
  const Botan::RSA_PrivateKey small(rng, 1024);
  const auto n = Botan::BigInt::encode(small.get_n());
  const auto e = Botan::BigInt::encode(small.get_e());
  expect(with_cose_key(encode_rsa_cose_key(-257, std::string(n.begin(), n.end()), std::string(e.begin(), e.end()))),
         Verdict::refused);
}

TEST_F(Registration, CborGarbageIsMalformed) {
  RegistrationResponse response = good();
  response.attestation_object = std::string("\xff\x00garbage", 9);
  expect(response, Verdict::malformed);
  response.attestation_object = "";
  expect(response, Verdict::malformed);
  response.attestation_object = "\x9f\xa0\xff";  // an indefinite-length array
  expect(response, Verdict::malformed);
  response.attestation_object = "\x83\x01\x02\x03";  // CBOR, but not the map
  expect(response, Verdict::malformed);
}

TEST_F(Registration, TruncatedAttestationObjectIsMalformed) {
  const RegistrationResponse response = good();
  for (std::size_t cut : {std::size_t{1}, std::size_t{10}, response.attestation_object.size() / 2}) {
    RegistrationResponse truncated = response;
    truncated.attestation_object.resize(response.attestation_object.size() - cut);
    expect(truncated, Verdict::malformed);
  }
}

TEST_F(Registration, TrailingBytesAreMalformed) {
  RegistrationResponse response = good();
  response.attestation_object.push_back('\0');
  expect(response, Verdict::malformed);
  const std::string data = encode_authenticator_data(sha256("localhost"), kFlagUp | kFlagUv | kFlagAt, 0,
                                                     AttestedData{kZeroAaguid, authenticator.credential_id(),
                                                                  authenticator.cose_public_key()});
  expect(with_authenticator_data(data + "\xa0"), Verdict::malformed);  // a map after the key, ED not set
  expect(with_authenticator_data(data + "x"), Verdict::malformed);
}

TEST_F(Registration, TruncatedAuthenticatorDataIsMalformed) {
  const std::string data = encode_authenticator_data(sha256("localhost"), kFlagUp | kFlagUv | kFlagAt, 0,
                                                     AttestedData{kZeroAaguid, authenticator.credential_id(),
                                                                  authenticator.cose_public_key()});
  for (const std::size_t size : {std::size_t{0}, std::size_t{36}, std::size_t{37}, std::size_t{54}, data.size() - 1}) {
    expect(with_authenticator_data(data.substr(0, size)), Verdict::malformed);
  }
}

TEST_F(Registration, OversizeCredentialIdIsMalformed) {
  const std::string id(1024, 'i');
  RegistrationResponse response = with_authenticator_data(encode_authenticator_data(
      sha256("localhost"), kFlagUp | kFlagUv | kFlagAt, 0, AttestedData{kZeroAaguid, id, authenticator.cose_public_key()}));
  response.credential_id = id;
  expect(response, Verdict::malformed);
}

TEST_F(Registration, AcceptsTheLongestCredentialId) {
  const std::string id(1023, 'i');
  RegistrationResponse response = with_authenticator_data(encode_authenticator_data(
      sha256("localhost"), kFlagUp | kFlagUv | kFlagAt, 0, AttestedData{kZeroAaguid, id, authenticator.cose_public_key()}));
  response.credential_id = id;
  EXPECT_EQ(verify(response).verdict, Verdict::ok);
}

TEST_F(Registration, OversizeAttestationObjectIsMalformed) {
  // A statement of 64 KiB: the whole object is over the CBOR reader's limit.
  std::string statement = "\xa1\x63sig\x5a";
  statement += std::string("\x00\x01\x00\x00", 4) + std::string(65536, 's');
  expect(with_authenticator_data(encode_authenticator_data(sha256("localhost"), kFlagUp | kFlagUv | kFlagAt, 0,
                                                           AttestedData{kZeroAaguid, authenticator.credential_id(),
                                                                        authenticator.cose_public_key()}),
                                 "packed", statement),
         Verdict::malformed);
}

TEST_F(Registration, NoneWithAStatementIsRefused) {
  const std::string data = encode_authenticator_data(sha256("localhost"), kFlagUp | kFlagUv | kFlagAt, 0,
                                                     AttestedData{kZeroAaguid, authenticator.credential_id(),
                                                                  authenticator.cose_public_key()});
  expect(with_authenticator_data(data, "none", "\xa1\x63\x61lg\x26"), Verdict::refused);
}

TEST_F(Registration, AnotherFormatIsTakenAsNoneWithoutCheckingItsStatement) {
  const std::string data = encode_authenticator_data(sha256("localhost"), kFlagUp | kFlagUv | kFlagAt, 0,
                                                     AttestedData{kZeroAaguid, authenticator.credential_id(),
                                                                  authenticator.cose_public_key()});
  // "packed" with a self-attestation signature that is plain garbage: not verified, not trusted.
  const RegistrationResult result = verify(with_authenticator_data(data, "packed", "\xa2\x63\x61lg\x26\x63sig\x43xyz"));
  ASSERT_EQ(result.verdict, Verdict::ok) << result.reason;
  EXPECT_EQ(result.credential->public_key, authenticator.cose_public_key());
}

TEST_F(Registration, ExtensionsAreReadWhenFlagged) {
  const AttestedData attested{kZeroAaguid, authenticator.credential_id(), authenticator.cose_public_key()};
  const std::string cred_protect = "\xa1\x6b" "credProtect\x03";
  EXPECT_EQ(verify(with_authenticator_data(encode_authenticator_data(sha256("localhost"),
                                                                     kFlagUp | kFlagUv | kFlagAt | kFlagEd, 0,
                                                                     attested, cred_protect)))
                .verdict,
            Verdict::ok);
  // ED without extensions, and extensions that are not a map.
  expect(with_authenticator_data(
             encode_authenticator_data(sha256("localhost"), kFlagUp | kFlagUv | kFlagAt | kFlagEd, 0, attested)),
         Verdict::malformed);
  expect(with_authenticator_data(encode_authenticator_data(sha256("localhost"), kFlagUp | kFlagUv | kFlagAt | kFlagEd,
                                                           0, attested, "\x01")),
         Verdict::malformed);
}

TEST_F(Registration, ClientDataThatIsNotJsonIsMalformed) {
  RegistrationResponse response = good();
  for (const std::string bad : {"", "not json", "[]", R"({"type":"webauthn.create"})",
                                R"({"type":"webauthn.create","challenge":1,"origin":"http://localhost:8080"})",
                                R"({"type":"webauthn.create","type":"webauthn.create","challenge":"x","origin":"o"})"}) {
    response.client_data_json = bad;
    expect(response, Verdict::malformed);
  }
}

TEST_F(Registration, KeepsTheCoseKeyBytesAndTheCounterAsSent) {
  const RegistrationResult result = verify(good({.sign_count = 7}));
  ASSERT_EQ(result.verdict, Verdict::ok) << result.reason;
  EXPECT_EQ(result.credential->sign_count, 7u);
  EXPECT_EQ(result.credential->public_key, authenticator.cose_public_key());
}

}  // namespace
}  // namespace latchkey::webauthn
