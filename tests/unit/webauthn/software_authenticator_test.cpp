// The software authenticator as the integration tests use it: from a server's options JSON to the
// `credential` JSON a page posts, read back by credential_json and accepted by the ceremonies; and
// the refusals a browser would make itself.
#include "webauthn/ceremony.h"

#include "webauthn_authenticator.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <stdexcept>

namespace latchkey::webauthn {
namespace {

using testing::SoftwareAuthenticator;

const RelyingParty kRp{"localhost", {"http://localhost:8080"}};

std::string creation_options(std::string_view challenge, std::string_view exclude_id = {}) {
  std::string json = R"({"publicKey":{"rp":{"id":"localhost","name":"Latchkey"},)"
                     R"("user":{"id":"dXNlci00Mg","name":"ada@example.com","displayName":"Ada"},)"
                     R"("challenge":")" + std::string(challenge) + R"(",)"
                     R"("pubKeyCredParams":[{"type":"public-key","alg":-7},{"type":"public-key","alg":-8},)"
                     R"({"type":"public-key","alg":-257}],"excludeCredentials":[)";
  if (!exclude_id.empty()) json += R"({"type":"public-key","id":")" + std::string(exclude_id) + R"("})";
  return json + R"(],"authenticatorSelection":{"residentKey":"required","userVerification":"required"}}})";
}

std::string request_options(std::string_view challenge) {
  return R"({"rpId":"localhost","challenge":")" + std::string(challenge) + R"(","userVerification":"required"})";
}

rapidjson::Document parsed(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  return document;
}

class SoftwareAuthenticatorOfEachAlgorithm : public ::testing::TestWithParam<CoseAlgorithm> {};

TEST_P(SoftwareAuthenticatorOfEachAlgorithm, RegistersAndSignsInFromOptionsJson) {
  SoftwareAuthenticator authenticator(GetParam());
  const std::string registration = authenticator.register_from_options(creation_options("cmVnaXN0ZXItY2hhbGxlbmdl"));
  const std::optional<RegistrationResponse> read = read_registration_response(parsed(registration));
  ASSERT_TRUE(read) << registration;
  EXPECT_EQ(read->transports, std::vector<std::string>{"internal"});
  EXPECT_EQ(challenge_of(read->client_data_json), "cmVnaXN0ZXItY2hhbGxlbmdl");
  const RegistrationResult registered = verify_registration(*read, kRp, "cmVnaXN0ZXItY2hhbGxlbmdl");
  ASSERT_EQ(registered.verdict, Verdict::ok) << registered.reason;
  EXPECT_EQ(authenticator.user_handle(), "user-42");

  StoredCredential stored{registered.credential->public_key, registered.credential->sign_count};
  for (uint32_t expected = 1; expected <= 3; ++expected) {
    const std::string challenge = "bG9naW4tY2hhbGxlbmdl" + std::to_string(expected);
    const std::string assertion = authenticator.assert_from_options(request_options(challenge));
    const std::optional<AssertionResponse> asserted = read_assertion_response(parsed(assertion));
    ASSERT_TRUE(asserted) << assertion;
    EXPECT_EQ(asserted->credential_id, registered.credential->credential_id);
    EXPECT_EQ(asserted->user_handle, "user-42");
    const AssertionResult result = verify_assertion(*asserted, kRp, challenge, stored);
    ASSERT_EQ(result.verdict, Verdict::ok) << result.reason;
    EXPECT_EQ(result.sign_count, expected);
    stored.sign_count = result.sign_count;
  }
}

INSTANTIATE_TEST_SUITE_P(Algorithms, SoftwareAuthenticatorOfEachAlgorithm,
                         ::testing::Values(CoseAlgorithm::es256, CoseAlgorithm::eddsa, CoseAlgorithm::rs256));

TEST(SoftwareAuthenticator, RefusesWhatABrowserRefuses) {
  SoftwareAuthenticator authenticator;
  EXPECT_THROW(authenticator.register_from_options(creation_options("Y2g", authenticator.credential_id_base64url())),
               std::runtime_error);
  EXPECT_THROW(authenticator.register_from_options(R"({"challenge":"Y2g","user":{"id":"dQ"},)"
                                                   R"("pubKeyCredParams":[{"type":"public-key","alg":-8}]})"),
               std::runtime_error);
  EXPECT_THROW(authenticator.assert_from_options(R"({"challenge":"Y2g","allowCredentials":[{"type":"public-key","id":"b3RoZXI"}]})"),
               std::runtime_error);
  EXPECT_THROW(authenticator.assert_from_options("not json"), std::runtime_error);
}

TEST(SoftwareAuthenticator, CounterStepZeroKeepsTheCounterAtZero) {
  SoftwareAuthenticator authenticator;
  authenticator.set_counter_step(0);
  authenticator.make_registration("cmVn", "u");
  const AssertionResponse response = authenticator.make_assertion("Y2g");
  const AssertionResult result = verify_assertion(response, kRp, "Y2g", {authenticator.cose_public_key(), 0});
  ASSERT_EQ(result.verdict, Verdict::ok) << result.reason;
  EXPECT_EQ(result.sign_count, 0u);
}

}  // namespace
}  // namespace latchkey::webauthn
