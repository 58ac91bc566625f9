// MfaService with passkeys as the second factor, on SQLite, PostgreSQL and MariaDB with a clock the
// test moves: verify and step-up with an assertion from tests/support's software authenticator
// (amr gains "hwk"), another user's passkey, a malformed one, a used challenge, an expired one, and
// a service that was never given the passkey checks.
#include "mfa/mfa_service.h"

#include "jwt/access_token.h"
#include "jwt/base64url.h"
#include "keys/key_snapshot.h"
#include "store/passkey_store.h"
#include "store/token_hash.h"
#include "test_database.h"
#include "throttle/memory_throttle.h"
#include "throttle/throttles.h"
#include "webauthn/ceremony_challenges.h"
#include "webauthn_authenticator.h"  // tests/support

#include <gtest/gtest.h>

#include <chrono>

namespace latchkey::mfa {
namespace {

using namespace std::chrono_literals;
using store::testing::StoreTest;
using webauthn::testing::SoftwareAuthenticator;

constexpr int64_t kStart = 1800000010;

config::AuthConfig test_config() {
  config::AuthConfig c;
  c.tokens.secret = "0123456789abcdef0123456789abcdef";
  c.login_throttle.max_failures_per_account = 5;
  return c;
}

jwt::KeySet make_keys(const config::AuthConfig& c) {
  auto key = jwt::Key::from_hmac_secret(*c.tokens.secret);
  return std::move(*jwt::KeySet::create(std::move(*key.key)).key_set);
}

class MfaPasskeyTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    revocations_ = std::make_unique<session::RevocationCache>(db(), 1h);
    auto clock = [this] { return now_; };
    sessions_ = std::make_unique<session::SessionService>(config_, db(), hasher_, live_keys_, *revocations_,
                                                          login_throttle_, clock);
    assertions_ = std::make_unique<webauthn::PasskeyAssertions>(db(), clock);
    service_ = std::make_unique<MfaService>(config_, db(), hasher_, *sessions_, code_throttle_, clock);
    service_->set_passkeys(assertions_.get());
  }

  int64_t now() const { return std::chrono::duration_cast<std::chrono::seconds>(now_.time_since_epoch()).count(); }

  store::User add_user(const std::string& email) {
    store::NewUser user;
    user.email = email;
    user.confirmed_at = 1700000000;
    user.roles = {"user"};
    user.created_at = 1700000000;
    return *store::UserStore(db()).find_by_id(store::UserStore(db()).create(user).id);
  }

  // The authenticator's credential stored as the user's passkey, as a registration would.
  void add_passkey(const store::User& user, const SoftwareAuthenticator& authenticator) {
    store::Passkey passkey;
    passkey.id = store::new_id();
    passkey.user_id = user.id;
    passkey.credential_id = authenticator.credential_id_base64url();
    passkey.public_key = jwt::base64url_encode(std::string_view(authenticator.cose_public_key()));
    passkey.algorithm = static_cast<int32_t>(authenticator.algorithm());
    passkey.sign_count = authenticator.sign_count();
    passkey.name = "Laptop";
    passkey.created_at = now();
    ASSERT_TRUE(store::PasskeyStore(db()).insert(passkey));
  }

  // An assertion over a fresh sign-in challenge (what passkeys/login/options hands out).
  SecondFactor passkey_factor(SoftwareAuthenticator& authenticator, std::string challenge = "") {
    if (challenge.empty()) {
      challenge = webauthn::CeremonyChallenges(db()).issue(store::ChallengePurpose::authentication, std::nullopt, now());
    }
    return {SecondFactor::Kind::passkey, {}, PasskeyProof{authenticator.make_assertion(challenge), rp_}};
  }

  std::string mfa_token(const store::User& user) {
    const session::SignIn signed_in = sessions_->sign_in(user, {"pwd"}, "login.succeeded");
    if (!signed_in.second_factor) throw std::runtime_error("no challenge");
    EXPECT_EQ(signed_in.second_factor->methods, std::vector<std::string>{"passkey"});
    return signed_in.second_factor->mfa_token;
  }

  std::vector<std::string> amr_of(const session::IssuedTokens& tokens) {
    jwt::AccessTokenCheck check;
    check.issuer = config_.tokens.issuer;
    check.audience = config_.tokens.audience;
    check.now = std::chrono::time_point_cast<std::chrono::seconds>(now_);
    return jwt::verify_access_token(tokens.access.token, keys_, check).claims.amr;
  }

  const webauthn::RelyingParty rp_{"localhost", {"http://localhost:8080"}};
  config::AuthConfig config_ = test_config();
  password::Hasher hasher_{password::Parameters{64, 1, 1}, 2};
  jwt::KeySet keys_ = make_keys(config_);
  keys::LiveKeys live_keys_{keys::make_snapshot(keys_)};
  throttle::MemoryThrottle login_throttle_{throttle::login_limits(config_)};
  throttle::MemoryThrottle code_throttle_{throttle::mfa_limits(config_)};
  std::unique_ptr<session::RevocationCache> revocations_;
  std::unique_ptr<session::SessionService> sessions_;
  std::unique_ptr<webauthn::PasskeyAssertions> assertions_;
  std::unique_ptr<MfaService> service_;
  std::chrono::system_clock::time_point now_{std::chrono::seconds(kStart)};
};

TEST_P(MfaPasskeyTest, VerifyWithThePasskeyGivesPwdAndHwk) {
  const store::User user = add_user("ann@example.com");
  SoftwareAuthenticator authenticator;
  add_passkey(user, authenticator);
  const std::string token = mfa_token(user);
  const MfaResult result = service_->verify(token, passkey_factor(authenticator), "10.0.0.1");
  ASSERT_EQ(result.outcome, MfaOutcome::ok);
  EXPECT_EQ(amr_of(*result.tokens), (std::vector<std::string>{"pwd", "hwk"}));
  EXPECT_EQ(result.tokens->mfa.passkeys, 1);
  const auto stored = store::PasskeyStore(db()).find_by_credential_id(authenticator.credential_id_base64url());
  EXPECT_EQ(stored->sign_count, authenticator.sign_count());
  EXPECT_EQ(stored->last_used_at, now());
  EXPECT_EQ(service_->verify(token, passkey_factor(authenticator), "10.0.0.1").outcome, MfaOutcome::invalid_mfa_token);
}

TEST_P(MfaPasskeyTest, AnotherUsersPasskeyAUsedOrExpiredChallengeProveNothing) {
  const store::User ann = add_user("ann@example.com"), bob = add_user("bob@example.com");
  SoftwareAuthenticator anns, bobs;
  add_passkey(ann, anns);
  add_passkey(bob, bobs);
  const std::string token = mfa_token(ann);
  EXPECT_EQ(service_->verify(token, passkey_factor(bobs), "a").outcome, MfaOutcome::invalid_credential);
  // A challenge used by one sign-in serves no other.
  const std::string challenge =
      webauthn::CeremonyChallenges(db()).issue(store::ChallengePurpose::authentication, std::nullopt, now());
  ASSERT_EQ(service_->verify(mfa_token(ann), passkey_factor(anns, challenge), "a").outcome, MfaOutcome::ok);
  EXPECT_EQ(service_->verify(token, passkey_factor(anns, challenge), "a").outcome, MfaOutcome::invalid_credential);
  // One that lived its 5 minutes.
  const std::string expiring =
      webauthn::CeremonyChallenges(db()).issue(store::ChallengePurpose::authentication, std::nullopt, now());
  now_ += 301s;
  const std::string fresh_token = mfa_token(ann);
  EXPECT_EQ(service_->verify(fresh_token, passkey_factor(anns, expiring), "a").outcome, MfaOutcome::invalid_credential);
  // None of that used the mfaToken up.
  EXPECT_EQ(service_->verify(fresh_token, passkey_factor(anns), "a").outcome, MfaOutcome::ok);
}

TEST_P(MfaPasskeyTest, AMalformedAssertionIsMalformed) {
  const store::User user = add_user("ann@example.com");
  SoftwareAuthenticator authenticator;
  add_passkey(user, authenticator);
  SecondFactor factor = passkey_factor(authenticator);
  factor.passkey->response.authenticator_data.resize(7);
  EXPECT_EQ(service_->verify(mfa_token(user), factor, "a").outcome, MfaOutcome::malformed_credential);
}

TEST_P(MfaPasskeyTest, StepUpWithAPasskeyNeedsNoTotp) {
  const store::User user = add_user("ann@example.com");
  SoftwareAuthenticator authenticator;
  add_passkey(user, authenticator);
  const session::IssuedTokens started = sessions_->start_session(user, "login.succeeded", {"email"});
  now_ += 60s;
  const MfaResult stepped = service_->step_up(user, started.session_id, passkey_factor(authenticator), "a");
  ASSERT_EQ(stepped.outcome, MfaOutcome::ok);
  EXPECT_EQ(amr_of(*stepped.tokens), (std::vector<std::string>{"email", "hwk"}));
  EXPECT_EQ(stepped.tokens->access.iat, now());
  // A code without TOTP cannot.
  EXPECT_EQ(service_->step_up(user, started.session_id, {SecondFactor::Kind::totp, "123456", std::nullopt}, "a").outcome,
            MfaOutcome::not_enabled);
}

TEST_P(MfaPasskeyTest, WithoutThePasskeyChecksNoPasskeyPasses) {
  const store::User user = add_user("ann@example.com");
  SoftwareAuthenticator authenticator;
  add_passkey(user, authenticator);
  MfaService bare(config_, db(), hasher_, *sessions_, code_throttle_, [this] { return now_; });
  EXPECT_EQ(bare.verify(mfa_token(user), passkey_factor(authenticator), "a").outcome, MfaOutcome::invalid_credential);
}

INSTANTIATE_TEST_SUITE_P(Backends, MfaPasskeyTest,
                         ::testing::Values(store::Backend::sqlite, store::Backend::postgresql, store::Backend::mysql),
                         store::testing::backend_param_name);

}  // namespace
}  // namespace latchkey::mfa
