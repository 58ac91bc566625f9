// `latchkey --check-config` on the auth plugin's config (CONTRACT §2, §6): errors name the file,
// the JSON pointer and the reason, and exit non-zero; a good config exits 0.
#include "auth_test_support.h"

namespace latchkey::test::auth {
namespace {

class AuthConfigCheck : public AuthFixture {
 protected:
  ExitResult check(const std::string& auth_patch) {
    write_config(auth_patch);
    return run_program(kHostBinary, {"--config", host.config_path().string(), "--check-config"}, "", host.dir());
  }
  // Non-zero, and stderr names the file and the pointer.
  void expect_error_at(const std::string& auth_patch, const std::string& pointer) {
    const ExitResult result = check(auth_patch);
    EXPECT_NE(result.exit_code, 0) << auth_patch;
    EXPECT_NE(result.err.find(pointer), std::string::npos) << "want " << pointer << " in stderr:\n" << result.err;
    EXPECT_NE(result.err.find("latchkey.json"), std::string::npos) << "the file is not named:\n" << result.err;
  }
};

TEST_F(AuthConfigCheck, GoodConfigExitsZero) {
  const ExitResult result = check("{}");
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(AuthConfigCheck, UnknownThrottleScopeIsAnError) {
  expect_error_at(R"({"login_throttle": {"scope": "cluster"}})", "/plugins/0/config/login_throttle/scope");
}

TEST_F(AuthConfigCheck, ShortHs256SecretIsAnError) {
  expect_error_at(R"({"tokens": {"secret": "only-31-bytes-long-secret-12345"}})", "/plugins/0/config/tokens/secret");
}

TEST_F(AuthConfigCheck, ShortSecretFromTheEnvironmentIsAnError) {
  ::setenv("LATCHKEY_IT_SHORT_SECRET", "short", 1);
  expect_error_at(R"({"tokens": {"secret": "${LATCHKEY_IT_SHORT_SECRET}"}})", "/plugins/0/config/tokens/secret");
}

TEST_F(AuthConfigCheck, MissingEnvironmentVariableIsNamed) {
  const ExitResult result = check(R"({"tokens": {"secret": "${LATCHKEY_IT_NO_SUCH_VARIABLE}"}})");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("LATCHKEY_IT_NO_SUCH_VARIABLE"), std::string::npos) << result.err;
}

TEST_F(AuthConfigCheck, AlgorithmNoneIsAnError) {
  expect_error_at(R"({"tokens": {"algorithm": "none"}})", "/plugins/0/config/tokens/algorithm");
}

TEST_F(AuthConfigCheck, UnknownKeyInsideTheAuthConfigIsAnError) {
  expect_error_at(R"({"tokens": {"secert": "typo"}})", "/plugins/0/config/tokens/secert");
  expect_error_at(R"({"cookie": {"secure": false}})", "/plugins/0/config/cookie");
}

TEST_F(AuthConfigCheck, MissingPrivateKeyFileIsAnError) {
  expect_error_at(R"({"tokens": {"algorithm": "EdDSA", "private_key_file": "no-such-key.pem"}})",
                  "/plugins/0/config/tokens/private_key_file");
}

}  // namespace
}  // namespace latchkey::test::auth
