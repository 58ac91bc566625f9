// §7.2 assertions against the software authenticator: a good assertion of each algorithm is
// accepted, and each refusal of CONTRACT §10 made by changing one field of a good one. A changed
// field is signed again, so that the step it targets refuses it and not the signature.
#include "webauthn/ceremony.h"

#include "webauthn_authenticator.h"

#include <gtest/gtest.h>

namespace latchkey::webauthn {
namespace {

using namespace testing;  // NOLINT: the authenticator and its encoders

const RelyingParty kRp{"localhost", {"http://localhost:8080"}};
constexpr std::string_view kChallenge = "YXNzZXJ0aW9uLWNoYWxsZW5nZS0zMi1ieXRlcy0wMDA";

class AssertionOfEachAlgorithm : public ::testing::TestWithParam<CoseAlgorithm> {};

TEST_P(AssertionOfEachAlgorithm, GoodAssertionIsAcceptedAndCounterReturned) {
  SoftwareAuthenticator authenticator(GetParam());
  authenticator.make_registration("cmVn", "user-1");
  const AssertionResponse response = authenticator.make_assertion(kChallenge);
  const AssertionResult result = verify_assertion(response, kRp, kChallenge, {authenticator.cose_public_key(), 0});
  ASSERT_EQ(result.verdict, Verdict::ok) << result.reason;
  EXPECT_EQ(result.sign_count, 1u);
  EXPECT_EQ(response.user_handle, "user-1");
}

TEST_P(AssertionOfEachAlgorithm, ABitFlippedSignatureIsRefused) {
  SoftwareAuthenticator authenticator(GetParam());
  const AssertionResponse good = authenticator.make_assertion(kChallenge);
  for (const std::size_t at : {std::size_t{0}, good.signature.size() / 2, good.signature.size() - 1}) {
    AssertionResponse response = good;
    response.signature[at] = static_cast<char>(response.signature[at] ^ 0x01);
    const AssertionResult result = verify_assertion(response, kRp, kChallenge, {authenticator.cose_public_key(), 0});
    EXPECT_EQ(result.verdict, Verdict::refused) << at;
  }
}

TEST_P(AssertionOfEachAlgorithm, ASignatureByAnotherKeyOfTheSameAlgorithmIsRefused) {
  SoftwareAuthenticator authenticator(GetParam());
  const SoftwareAuthenticator other(GetParam());
  AssertionResponse response = authenticator.make_assertion(kChallenge);
  response.signature = other.sign(response.authenticator_data, response.client_data_json);
  EXPECT_EQ(verify_assertion(response, kRp, kChallenge, {authenticator.cose_public_key(), 0}).verdict, Verdict::refused);
  EXPECT_EQ(verify_assertion(response, kRp, kChallenge, {other.cose_public_key(), 0}).verdict, Verdict::ok);
}

INSTANTIATE_TEST_SUITE_P(Algorithms, AssertionOfEachAlgorithm,
                         ::testing::Values(CoseAlgorithm::es256, CoseAlgorithm::eddsa, CoseAlgorithm::rs256));

class Assertion : public ::testing::Test {
 protected:
  StoredCredential stored(uint32_t count = 0) const { return {authenticator.cose_public_key(), count}; }
  AssertionResult verify(const AssertionResponse& response, uint32_t stored_count = 0) const {
    return verify_assertion(response, kRp, kChallenge, stored(stored_count));
  }
  // Signs again after a test changed authenticator data or client data.
  AssertionResponse resigned(AssertionResponse response) const {
    response.signature = authenticator.sign(response.authenticator_data, response.client_data_json);
    return response;
  }
  void expect(const AssertionResponse& response, Verdict verdict, uint32_t stored_count = 0) const {
    const AssertionResult result = verify(response, stored_count);
    EXPECT_EQ(result.verdict, verdict) << result.reason;
    EXPECT_FALSE(result.reason.empty());
  }
  AssertionResponse good(const CeremonyKnobs& knobs = {}) { return authenticator.make_assertion(kChallenge, knobs); }

  SoftwareAuthenticator authenticator;
};

TEST_F(Assertion, RefusesAnOriginNotConfigured) {
  expect(good({.origin = "http://localhost:8081"}), Verdict::refused);
  expect(good({.origin = "https://localhost:8080"}), Verdict::refused);
  expect(good({.origin = "http://evil.example"}), Verdict::refused);
}

TEST_F(Assertion, RefusesAnotherRpIdHash) { expect(good({.rp_id = "example.com"}), Verdict::refused); }

TEST_F(Assertion, RefusesAnotherChallenge) {
  const AssertionResponse response = good();
  EXPECT_EQ(verify_assertion(response, kRp, "b3RoZXI", stored()).verdict, Verdict::refused);
  EXPECT_EQ(verify_assertion(response, kRp, "", stored()).verdict, Verdict::refused);
  EXPECT_EQ(verify_assertion(response, kRp, std::string(kChallenge) + "=", stored()).verdict, Verdict::refused);
}

TEST_F(Assertion, RefusesAnotherType) {
  expect(good({.type = "webauthn.create"}), Verdict::refused);
  expect(good({.type = "webauthn.GET"}), Verdict::refused);
}

TEST_F(Assertion, RefusesCrossOrigin) { expect(good({.cross_origin = true}), Verdict::refused); }

TEST_F(Assertion, RefusesWithoutUserPresence) { expect(good({.flags = kFlagUv}), Verdict::refused); }

TEST_F(Assertion, RefusesWithoutUserVerification) { expect(good({.flags = kFlagUp}), Verdict::refused); }

TEST_F(Assertion, RefusesFlagsChangedAfterSigning) {
  AssertionResponse response = good({.flags = kFlagUp});
  response.authenticator_data[32] = static_cast<char>(kFlagUp | kFlagUv);
  expect(response, Verdict::refused);
  EXPECT_EQ(verify(resigned(response)).verdict, Verdict::ok);
}

TEST_F(Assertion, RefusesClientDataChangedAfterSigning) {
  // The same values, one more space: still valid JSON, but not what was signed.
  AssertionResponse response = good();
  response.client_data_json.insert(1, " ");
  expect(response, Verdict::refused);
  EXPECT_EQ(verify(resigned(response)).verdict, Verdict::ok);
}

TEST_F(Assertion, RefusesAnEmptyOrTruncatedSignature) {
  AssertionResponse response = good();
  const std::string signature = response.signature;
  response.signature.clear();
  expect(response, Verdict::refused);
  response.signature = signature.substr(0, signature.size() - 1);
  expect(response, Verdict::refused);
  response.signature = signature + '\0';
  expect(response, Verdict::refused);
}

// ES256 signatures are DER (§6.5.5); the same r and s in another form do not verify.
TEST_F(Assertion, RefusesAnEcdsaSignatureNotInCanonicalDer) {
  const AssertionResponse response = good();
  const std::string& der = response.signature;
  ASSERT_EQ(der[0], '\x30');
  ASSERT_EQ(static_cast<std::size_t>(static_cast<unsigned char>(der[1])), der.size() - 2);
  AssertionResponse long_length = response;  // BER: the length in long form
  long_length.signature = std::string("\x30\x81", 2) + der.substr(1);
  expect(long_length, Verdict::refused);

  // IEEE P1363 r || s, as a JWS would carry it.
  std::string raw;
  std::size_t at = 2;
  for (int part = 0; part < 2; ++part) {
    ASSERT_EQ(der[at], '\x02');
    const std::size_t length = static_cast<unsigned char>(der[at + 1]);
    std::string integer = der.substr(at + 2, length);
    while (integer.size() > 32 && integer[0] == '\0') integer.erase(0, 1);
    raw += std::string(32 - integer.size(), '\0') + integer;
    at += 2 + length;
  }
  AssertionResponse p1363 = response;
  p1363.signature = raw;
  expect(p1363, Verdict::refused);
}

TEST_F(Assertion, CounterGoingBackwardsIsCounterRegressed) {
  expect(good({.sign_count = 4}), Verdict::counter_regressed, 5);
  expect(good({.sign_count = 0}), Verdict::counter_regressed, 5);
}

TEST_F(Assertion, CounterStayingEqualWhenNonZeroIsCounterRegressed) {
  expect(good({.sign_count = 5}), Verdict::counter_regressed, 5);
  expect(good({.sign_count = UINT32_MAX}), Verdict::counter_regressed, UINT32_MAX);
}

TEST_F(Assertion, CounterZeroOnBothSidesIsAccepted) {
  const AssertionResult result = verify(good({.sign_count = 0}), 0);
  ASSERT_EQ(result.verdict, Verdict::ok) << result.reason;
  EXPECT_EQ(result.sign_count, 0u);
}

TEST_F(Assertion, CounterThatGrowsIsAcceptedAndReturned) {
  for (const auto& [stored_count, sent] : {std::pair<uint32_t, uint32_t>{0, 1}, {0, 7}, {5, 6}, {5, 1000}, {0, UINT32_MAX}}) {
    const AssertionResult result = verify(good({.sign_count = sent}), stored_count);
    ASSERT_EQ(result.verdict, Verdict::ok) << result.reason;
    EXPECT_EQ(result.sign_count, sent);
  }
}

TEST_F(Assertion, CounterIsJudgedOnlyAfterTheSignature) {
  AssertionResponse response = good({.sign_count = 1});
  response.signature[10] = static_cast<char>(response.signature[10] ^ 0x40);
  expect(response, Verdict::refused, 5);  // a forged low counter must not flag the passkey
}

TEST_F(Assertion, AuthenticatorDataGarbageIsMalformed) {
  AssertionResponse response = good();
  response.authenticator_data = "garbage";
  expect(resigned(response), Verdict::malformed);
  response.authenticator_data.clear();
  expect(resigned(response), Verdict::malformed);
}

TEST_F(Assertion, TruncatedAuthenticatorDataIsMalformed) {
  AssertionResponse response = good();
  response.authenticator_data.pop_back();
  expect(resigned(response), Verdict::malformed);
}

TEST_F(Assertion, TrailingBytesInAuthenticatorDataAreMalformed) {
  AssertionResponse response = good();
  response.authenticator_data += '\0';
  expect(resigned(response), Verdict::malformed);
  response = good();
  response.authenticator_data += "\xa0";  // an extensions map, but ED is not set
  expect(resigned(response), Verdict::malformed);
}

TEST_F(Assertion, ExtensionsAreAcceptedWhenFlagged) {
  AssertionResponse response = good();
  response.authenticator_data[32] = static_cast<char>(kFlagUp | kFlagUv | kFlagEd);
  response.authenticator_data += std::string("\xa1\x63") + "foo" + "\xf5";
  EXPECT_EQ(verify(resigned(response)).verdict, Verdict::ok);
  response.authenticator_data += '\0';
  expect(resigned(response), Verdict::malformed);
}

TEST_F(Assertion, ClientDataThatIsNotJsonIsMalformed) {
  AssertionResponse response = good();
  response.client_data_json = "{";
  expect(resigned(response), Verdict::malformed);
  response.client_data_json = R"({"type":"webauthn.get","challenge":"x","origin":"http://localhost:8080","crossOrigin":"no"})";
  expect(resigned(response), Verdict::malformed);
  response.client_data_json = std::string(5000, ' ') + R"({"type":"webauthn.get"})";
  expect(resigned(response), Verdict::malformed);
}

TEST_F(Assertion, AStoredKeyThatIsNotAKeyRefusesWithoutCrashing) {
  const AssertionResponse response = good();
  EXPECT_EQ(verify_assertion(response, kRp, kChallenge, {"", 0}).verdict, Verdict::refused);
  EXPECT_EQ(verify_assertion(response, kRp, kChallenge, {"\xa0", 0}).verdict, Verdict::refused);
}

TEST_F(Assertion, AKeyOfAnotherAlgorithmDoesNotVerify) {
  const SoftwareAuthenticator ed(CoseAlgorithm::eddsa);
  EXPECT_EQ(verify_assertion(good(), kRp, kChallenge, {ed.cose_public_key(), 0}).verdict, Verdict::refused);
}

}  // namespace
}  // namespace latchkey::webauthn
