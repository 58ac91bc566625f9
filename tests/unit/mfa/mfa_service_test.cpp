// MfaService on SQLite, PostgreSQL and MariaDB with a clock the test moves: setup and enable with a
// code from an independent TOTP, the ±1 step window, replay refusal, recovery codes used once,
// disable, the sign-in gate and its mfaToken, step-up, the throttle of wrong codes, and the secret
// never stored in clear.
#include "mfa/mfa_service.h"

#include "jwt/access_token.h"
#include "keys/key_snapshot.h"
#include "reference_totp.h"
#include "store/session_store.h"
#include "store/totp_factor_store.h"
#include "test_database.h"
#include "throttle/memory_throttle.h"
#include "throttle/throttles.h"

#include <gtest/gtest.h>

#include <chrono>

namespace latchkey::mfa {
namespace {

using namespace std::chrono_literals;
using store::testing::StoreTest;

constexpr int64_t kStart = 1800000010;  // 10 s into a 30 s step
const std::string kPassword = "correct horse battery staple";

config::AuthConfig test_config() {
  config::AuthConfig c;
  c.tokens.secret = "0123456789abcdef0123456789abcdef";
  c.mfa.encryption_key = "an mfa encryption key of 32 bytes or more";
  c.login_throttle.max_failures_per_account = 5;
  return c;
}

SecondFactor totp_factor(std::string code) { return {SecondFactor::Kind::totp, std::move(code)}; }

jwt::KeySet make_keys(const config::AuthConfig& c) {
  auto key = jwt::Key::from_hmac_secret(*c.tokens.secret);
  return std::move(*jwt::KeySet::create(std::move(*key.key)).key_set);
}

class MfaServiceTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    revocations_ = std::make_unique<session::RevocationCache>(db(), 1h);
    sessions_ = std::make_unique<session::SessionService>(config_, db(), hasher_, live_keys_, *revocations_,
                                                          login_throttle_, [this] { return now_; });
    service_ = std::make_unique<MfaService>(config_, db(), hasher_, *sessions_, code_throttle_, [this] { return now_; });
  }

  int64_t now() const { return std::chrono::duration_cast<std::chrono::seconds>(now_.time_since_epoch()).count(); }
  void advance(std::chrono::seconds by) { now_ += by; }

  store::User add_user(const std::string& email = "alice@example.com") {
    store::NewUser user;
    user.email = email;
    user.password_hash = hasher_.hash(kPassword);
    user.confirmed_at = 1700000000;
    user.roles = {"user"};
    user.created_at = 1700000000;
    const auto created = store::UserStore(db()).create(user);
    return *store::UserStore(db()).find_by_id(created.id);
  }

  // Sets TOTP up and enables it with the current code; returns the key and the recovery codes.
  std::pair<std::vector<uint8_t>, std::vector<std::string>> enroll(const store::User& user) {
    const MfaResult set_up = service_->setup(user);
    EXPECT_EQ(set_up.outcome, MfaOutcome::ok);
    const auto key = test::key_of_base32(set_up.setup->secret);
    const MfaResult enabled = service_->enable(user, test::reference_totp(key, now()), kPassword, "10.0.0.1");
    EXPECT_EQ(enabled.outcome, MfaOutcome::ok);
    return {key, enabled.recovery_codes};
  }

  static std::string another_code(const std::string& code) { return code == "111111" ? "222222" : "111111"; }

  SecondFactor totp(const std::vector<uint8_t>& key, int64_t at) {
    return {SecondFactor::Kind::totp, test::reference_totp(key, at)};
  }

  std::string challenge(const store::User& user, std::vector<std::string> amr = {"pwd"}) {
    const session::SignIn signed_in = sessions_->sign_in(user, std::move(amr), "login.succeeded");
    EXPECT_FALSE(signed_in.tokens) << "a user with TOTP on gets no session from the first factor";
    if (!signed_in.second_factor) throw std::runtime_error("no challenge");
    EXPECT_EQ(signed_in.second_factor->methods, (std::vector<std::string>{"totp", "recovery_code"}));
    return signed_in.second_factor->mfa_token;
  }

  jwt::AccessTokenClaims claims_of(const session::IssuedTokens& tokens) {
    jwt::AccessTokenCheck check;
    check.issuer = config_.tokens.issuer;
    check.audience = config_.tokens.audience;
    check.now = std::chrono::time_point_cast<std::chrono::seconds>(now_);
    const auto verified = jwt::verify_access_token(tokens.access.token, keys_, check);
    EXPECT_EQ(verified.error, jwt::AccessTokenError::none);
    return verified.claims;
  }

  config::AuthConfig config_ = test_config();
  password::Hasher hasher_{password::Parameters{64, 1, 1}, 2};
  jwt::KeySet keys_ = make_keys(config_);
  keys::LiveKeys live_keys_{keys::make_snapshot(keys_)};
  throttle::MemoryThrottle login_throttle_{throttle::login_limits(config_)};
  throttle::MemoryThrottle code_throttle_{throttle::mfa_limits(config_)};
  std::unique_ptr<session::RevocationCache> revocations_;
  std::unique_ptr<session::SessionService> sessions_;
  std::unique_ptr<MfaService> service_;
  std::chrono::system_clock::time_point now_{std::chrono::seconds(kStart)};
};

TEST_P(MfaServiceTest, SetupGivesASecretTheUriAndTheQrCodeAndNothingIsOnYet) {
  const store::User user = add_user();
  const MfaResult result = service_->setup(user);
  ASSERT_EQ(result.outcome, MfaOutcome::ok);
  EXPECT_EQ(result.setup->secret.size(), 32u);
  EXPECT_EQ(result.setup->otpauth_uri,
            "otpauth://totp/Latchkey:alice%40example.com?secret=" + result.setup->secret + "&issuer=Latchkey");
  EXPECT_EQ(result.setup->qr_svg.substr(0, 4), "<svg");
  EXPECT_FALSE(store::TotpFactorStore(db()).is_enabled(user.id));
  EXPECT_TRUE(sessions_->sign_in(user, {"pwd"}, "login.succeeded").tokens) << "no second factor yet";
  // A second setup replaces the first secret.
  const MfaResult again = service_->setup(user);
  ASSERT_EQ(again.outcome, MfaOutcome::ok);
  EXPECT_NE(again.setup->secret, result.setup->secret);
  const auto old_key = test::key_of_base32(result.setup->secret);
  EXPECT_EQ(service_->enable(user, test::reference_totp(old_key, now()), kPassword, "a").outcome, MfaOutcome::invalid_code);
}

TEST_P(MfaServiceTest, TheSecretIsStoredEncryptedBoundToTheUser) {
  const store::User user = add_user();
  const MfaResult result = service_->setup(user);
  const auto row = store::TotpFactorStore(db()).find(user.id);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->secret_encrypted.find(result.setup->secret), std::string::npos);
  const auto key = test::key_of_base32(result.setup->secret);
  const std::string raw(key.begin(), key.end());
  EXPECT_EQ(row->secret_encrypted.find(raw), std::string::npos);
  EXPECT_EQ(row->secret_encrypted.substr(0, 3), "v1.");
}

TEST_P(MfaServiceTest, EnableNeedsTheRightPasswordAndCode) {
  const store::User user = add_user();
  EXPECT_EQ(service_->enable(user, "123456", kPassword, "a").outcome, MfaOutcome::not_set_up);
  const MfaResult set_up = service_->setup(user);
  const auto key = test::key_of_base32(set_up.setup->secret);
  const std::string code = test::reference_totp(key, now());
  EXPECT_EQ(service_->enable(user, code, "wrong password", "a").outcome, MfaOutcome::invalid_credentials);
  const std::string wrong = code == "000000" ? "000001" : "000000";
  EXPECT_EQ(service_->enable(user, wrong, kPassword, "a").outcome, MfaOutcome::invalid_code);
  EXPECT_FALSE(store::TotpFactorStore(db()).is_enabled(user.id));
  const MfaResult enabled = service_->enable(user, code, kPassword, "a");
  ASSERT_EQ(enabled.outcome, MfaOutcome::ok);
  EXPECT_EQ(enabled.recovery_codes.size(), 10u);
  EXPECT_TRUE(store::TotpFactorStore(db()).is_enabled(user.id));
  EXPECT_EQ(service_->setup(user).outcome, MfaOutcome::already_enabled);
  EXPECT_EQ(service_->enable(user, code, kPassword, "a").outcome, MfaOutcome::already_enabled);
}

TEST_P(MfaServiceTest, FullSignInWithACodeGivesASessionWithPwdAndOtp) {
  const store::User user = add_user();
  const auto [key, codes] = enroll(user);
  advance(30s);
  const std::string token = challenge(user);
  const MfaResult verified = service_->verify(token, totp(key, now()), "10.0.0.1");
  ASSERT_EQ(verified.outcome, MfaOutcome::ok);
  ASSERT_TRUE(verified.tokens && verified.tokens->refresh_token);
  const auto claims = claims_of(*verified.tokens);
  EXPECT_EQ(claims.amr, (std::vector<std::string>{"pwd", "otp"}));
  EXPECT_EQ(claims.auth_time, now());
  EXPECT_TRUE(verified.tokens->mfa.totp);
  const auto session = store::SessionStore(db()).find(verified.tokens->session_id);
  ASSERT_TRUE(session);
  EXPECT_EQ(session->amr, (std::vector<std::string>{"pwd", "otp"}));
  // The mfaToken is single use, even with another right code later.
  advance(30s);
  EXPECT_EQ(service_->verify(token, totp(key, now()), "10.0.0.1").outcome, MfaOutcome::invalid_mfa_token);
}

TEST_P(MfaServiceTest, AGoogleSignInKeepsExtInItsAmr) {
  const store::User user = add_user();
  const auto [key, codes] = enroll(user);
  advance(30s);
  const MfaResult verified = service_->verify(challenge(user, {"ext"}), totp(key, now()), "a");
  ASSERT_EQ(verified.outcome, MfaOutcome::ok);
  EXPECT_EQ(claims_of(*verified.tokens).amr, (std::vector<std::string>{"ext", "otp"}));
}

TEST_P(MfaServiceTest, OneStepEitherSideIsAcceptedTwoAreNot) {
  const store::User user = add_user();
  const auto [key, codes] = enroll(user);
  advance(120s);  // past the enabling code's step and its neighbours
  for (const int offset : {-2, 2}) {
    const std::string token = challenge(user);
    const std::string code = test::reference_totp(key, now() + offset * 30);
    if (code == test::reference_totp(key, now()) || code == test::reference_totp(key, now() - 30) ||
        code == test::reference_totp(key, now() + 30)) {
      continue;  // six digits collide one time in 10^5
    }
    EXPECT_EQ(service_->verify(token, {SecondFactor::Kind::totp, code}, "a").outcome, MfaOutcome::invalid_code) << offset;
  }
  EXPECT_EQ(service_->verify(challenge(user), totp(key, now() - 30), "a").outcome, MfaOutcome::ok);
  EXPECT_EQ(service_->verify(challenge(user), totp(key, now() + 30), "a").outcome, MfaOutcome::ok);
}

TEST_P(MfaServiceTest, ACodeIsAcceptedOnceAndNoOlderStepAfterIt) {
  const store::User user = add_user();
  const auto [key, codes] = enroll(user);
  // The code that enabled TOTP cannot sign in.
  EXPECT_EQ(service_->verify(challenge(user), totp(key, now()), "a").outcome, MfaOutcome::invalid_code);
  advance(30s);
  const std::string token = challenge(user);
  ASSERT_EQ(service_->verify(token, totp(key, now()), "a").outcome, MfaOutcome::ok);
  EXPECT_EQ(service_->verify(challenge(user), totp(key, now()), "a").outcome, MfaOutcome::invalid_code) << "replay";
  EXPECT_EQ(service_->verify(challenge(user), totp(key, now() - 30), "a").outcome, MfaOutcome::invalid_code)
      << "an earlier step than the last used";
  advance(30s);
  EXPECT_EQ(service_->verify(challenge(user), totp(key, now()), "a").outcome, MfaOutcome::ok);
}

TEST_P(MfaServiceTest, AWrongCodeLeavesTheChallengeUsable) {
  const store::User user = add_user();
  const auto [key, codes] = enroll(user);
  advance(30s);
  const std::string token = challenge(user);
  const std::string right = test::reference_totp(key, now());
  const std::string wrong = another_code(right);
  EXPECT_EQ(service_->verify(token, {SecondFactor::Kind::totp, wrong}, "a").outcome, MfaOutcome::invalid_code);
  EXPECT_EQ(service_->verify(token, {SecondFactor::Kind::totp, right}, "a").outcome, MfaOutcome::ok);
}

TEST_P(MfaServiceTest, ChallengesExpireAfterFiveMinutes) {
  const store::User user = add_user();
  const auto [key, codes] = enroll(user);
  const std::string token = challenge(user);
  advance(301s);
  EXPECT_EQ(service_->verify(token, totp(key, now()), "a").outcome, MfaOutcome::invalid_mfa_token);
  EXPECT_EQ(service_->verify("no-such-token", totp(key, now()), "a").outcome, MfaOutcome::invalid_mfa_token);
}

TEST_P(MfaServiceTest, RecoveryCodesWorkOnceEach) {
  const store::User user = add_user();
  const auto [key, codes] = enroll(user);
  const SecondFactor first{SecondFactor::Kind::recovery_code, codes[0]};
  const MfaResult verified = service_->verify(challenge(user), first, "a");
  ASSERT_EQ(verified.outcome, MfaOutcome::ok);
  EXPECT_EQ(claims_of(*verified.tokens).amr, (std::vector<std::string>{"pwd", "otp"}));
  EXPECT_EQ(service_->verify(challenge(user), first, "a").outcome, MfaOutcome::invalid_code);
  EXPECT_EQ(service_->verify(challenge(user), {SecondFactor::Kind::recovery_code, "aaaaa-aaaaa"}, "a").outcome,
            MfaOutcome::invalid_code);
  EXPECT_EQ(service_->verify(challenge(user), {SecondFactor::Kind::recovery_code, codes[9]}, "a").outcome, MfaOutcome::ok);
}

TEST_P(MfaServiceTest, AnotherUsersRecoveryCodeIsWrong) {
  const store::User alice = add_user("alice@example.com");
  const store::User bob = add_user("bob@example.com");
  const auto [alice_key, alice_codes] = enroll(alice);
  enroll(bob);
  EXPECT_EQ(service_->verify(challenge(bob), {SecondFactor::Kind::recovery_code, alice_codes[0]}, "a").outcome,
            MfaOutcome::invalid_code);
  EXPECT_EQ(service_->verify(challenge(alice), {SecondFactor::Kind::recovery_code, alice_codes[0]}, "a").outcome,
            MfaOutcome::ok);
}

TEST_P(MfaServiceTest, DisableNeedsThePasswordAndACode) {
  const store::User user = add_user();
  const auto [key, codes] = enroll(user);
  advance(30s);
  EXPECT_EQ(service_->disable(user, "wrong password", totp(key, now()), "a").outcome, MfaOutcome::invalid_credentials);
  EXPECT_EQ(service_->disable(user, kPassword, {SecondFactor::Kind::recovery_code, "aaaaa-aaaaa"}, "a").outcome,
            MfaOutcome::invalid_code);
  EXPECT_TRUE(store::TotpFactorStore(db()).is_enabled(user.id));
  EXPECT_EQ(service_->disable(user, kPassword, {SecondFactor::Kind::recovery_code, codes[3]}, "a").outcome, MfaOutcome::ok);
  EXPECT_FALSE(store::TotpFactorStore(db()).find(user.id));
  EXPECT_TRUE(sessions_->sign_in(user, {"pwd"}, "login.succeeded").tokens) << "no second factor any more";
  EXPECT_EQ(service_->disable(user, kPassword, totp(key, now()), "a").outcome, MfaOutcome::not_enabled);
}

TEST_P(MfaServiceTest, StepUpAddsOtpToTheSameSession) {
  const store::User user = add_user();
  const auto [key, codes] = enroll(user);
  advance(30s);
  // A session from before the step-up (say, a recovery code once).
  const MfaResult first = service_->verify(challenge(user), {SecondFactor::Kind::recovery_code, codes[0]}, "a");
  ASSERT_EQ(first.outcome, MfaOutcome::ok);
  const std::string session_id = first.tokens->session_id;
  store::SessionStore(db()).set_authentication(session_id, {"pwd"}, now());
  advance(60s);
  const MfaResult stepped = service_->step_up(user, session_id, totp_factor(test::reference_totp(key, now())), "a");
  ASSERT_EQ(stepped.outcome, MfaOutcome::ok);
  EXPECT_EQ(stepped.tokens->session_id, session_id);
  EXPECT_FALSE(stepped.tokens->refresh_token);
  const auto claims = claims_of(*stepped.tokens);
  EXPECT_EQ(claims.amr, (std::vector<std::string>{"pwd", "otp"}));
  EXPECT_EQ(claims.auth_time, now());
  EXPECT_EQ(store::SessionStore(db()).find(session_id)->auth_time, now());
  EXPECT_EQ(service_->step_up(user, session_id, totp_factor(test::reference_totp(key, now())), "a").outcome, MfaOutcome::invalid_code);
  store::SessionStore(db()).revoke(session_id, now());
  advance(30s);
  EXPECT_EQ(service_->step_up(user, session_id, totp_factor(test::reference_totp(key, now())), "a").outcome,
            MfaOutcome::invalid_session);
}

TEST_P(MfaServiceTest, WrongCodesAreThrottledPerAccount) {
  const store::User user = add_user();
  const auto [key, codes] = enroll(user);
  advance(30s);
  const std::string token = challenge(user);
  const std::string right = test::reference_totp(key, now());
  const std::string wrong = another_code(right);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(service_->verify(token, {SecondFactor::Kind::totp, wrong}, "10.0.0." + std::to_string(i)).outcome,
              MfaOutcome::invalid_code);
  }
  const MfaResult limited = service_->verify(token, {SecondFactor::Kind::totp, right}, "10.0.1.1");
  EXPECT_EQ(limited.outcome, MfaOutcome::rate_limited);
  EXPECT_GE(limited.retry_after.count(), 1);
}

TEST_P(MfaServiceTest, WithoutAnEncryptionKeySetupIsNotConfigured) {
  config_.mfa.encryption_key.reset();
  MfaService unconfigured(config_, db(), hasher_, *sessions_, code_throttle_, [this] { return now_; });
  EXPECT_EQ(unconfigured.setup(add_user()).outcome, MfaOutcome::not_configured);
}

INSTANTIATE_TEST_SUITE_P(Backends, MfaServiceTest,
                         ::testing::Values(store::Backend::sqlite, store::Backend::postgresql, store::Backend::mysql),
                         store::testing::backend_param_name);

}  // namespace
}  // namespace latchkey::mfa
