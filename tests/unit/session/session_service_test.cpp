// SessionService on a temp SQLite database with a wall clock the test moves: login outcomes and
// their order, refresh rotation, the grace window, reuse revoking the session, idle and absolute
// expiry, logout by either token, logout-all.
#include "session/session_service.h"

#include "audit/audit_log.h"

#include "jwt/access_token.h"
#include "store/denylist_store.h"
#include "store/passkey_store.h"
#include "store/session_store.h"
#include "temp_database.h"
#include "throttle/memory_throttle.h"
#include "throttle/throttles.h"

#include <gtest/gtest.h>

#include <chrono>

namespace latchkey::session {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kStart = 1800000000;  // epoch seconds the clock starts at
const std::string kPassword = "correct horse battery staple";

config::AuthConfig test_config() {
  config::AuthConfig c;
  c.tokens.secret = "0123456789abcdef0123456789abcdef";
  c.tokens.access_ttl_seconds = 900;
  c.tokens.refresh_ttl_seconds = 3600;
  c.tokens.session_max_seconds = 7200;
  c.tokens.refresh_reuse_grace_seconds = 10;
  c.login_throttle.window_seconds = 900;
  c.login_throttle.max_failures_per_account = 3;
  c.login_throttle.max_failures_per_address = 100;
  return c;
}

jwt::KeySet make_keys(const config::AuthConfig& c) {
  auto key = jwt::Key::from_hmac_secret(*c.tokens.secret);
  return std::move(*jwt::KeySet::create(std::move(*key.key)).key_set);
}

class SessionServiceTest : public ::testing::Test {
 protected:
  SessionServiceTest()
      : config_(test_config()),
        hasher_(password::Parameters{64, 1, 1}, 2),
        keys_(make_keys(config_)),
        revocations_(db(), 1h),
        throttle_(throttle::login_limits(config_)),
        service_(config_, db(), hasher_, live_keys_, revocations_, throttle_, [this] { return now_; }) {}

  store::Database& db() { return temp_.db(); }
  void advance(std::chrono::milliseconds by) { now_ += by; }
  int64_t now_seconds() const { return std::chrono::duration_cast<std::chrono::seconds>(now_.time_since_epoch()).count(); }

  std::string add_user(const std::string& email, bool confirmed = true, bool active = true) {
    return temp_.add_user(email, hasher_.hash(kPassword), confirmed, active);
  }
  // A logged-in user's first tokens.
  // With a 1 s grace: logs alice in and rotates her refresh token 0.7 s into a second.
  std::pair<IssuedTokens, RefreshResult> rotate_700ms_into_a_second() {
    config_.tokens.refresh_reuse_grace_seconds = 1;
    add_user("alice@example.com");
    IssuedTokens first = login();
    advance(std::chrono::milliseconds(700));
    RefreshResult winner = service_.refresh(*first.refresh_token);
    return {std::move(first), std::move(winner)};
  }

  IssuedTokens login(const std::string& email = "alice@example.com") {
    LoginResult result = service_.login(email, kPassword, "10.0.0.1");
    EXPECT_EQ(result.outcome, LoginOutcome::ok);
    if (!result.tokens) throw std::runtime_error("login failed");
    return std::move(*result.tokens);
  }
  jwt::VerifiedAccessToken verify(const std::string& token) {
    jwt::AccessTokenCheck check;
    check.issuer = config_.tokens.issuer;
    check.audience = config_.tokens.audience;
    check.now = std::chrono::time_point_cast<std::chrono::seconds>(now_);
    return jwt::verify_access_token(token, keys_, check);
  }
  bool session_revoked(const std::string& id) { return store::SessionStore(db()).is_revoked(id); }

  testing::TempDatabase temp_;
  config::AuthConfig config_;
  password::Hasher hasher_;
  jwt::KeySet keys_;
  keys::LiveKeys live_keys_{keys::make_snapshot(keys_)};  // what the service signs with: keys_, never reloaded
  RevocationCache revocations_;
  throttle::MemoryThrottle throttle_;
  std::chrono::system_clock::time_point now_{std::chrono::seconds(kStart)};
  SessionService service_;
};

// --- login ---

TEST_F(SessionServiceTest, LoginWithTheRightPasswordStartsASession) {
  const std::string id = add_user("alice@example.com");
  const IssuedTokens tokens = login("Alice@Example.com ");
  EXPECT_EQ(tokens.user.id, id);
  EXPECT_EQ(tokens.user.email, "alice@example.com");
  ASSERT_TRUE(tokens.refresh_token.has_value());
  EXPECT_EQ(tokens.refresh_expires_at, kStart + 3600);
  EXPECT_FALSE(session_revoked(tokens.session_id));

  const auto verified = verify(tokens.access.token);
  ASSERT_EQ(verified.error, jwt::AccessTokenError::none);
  EXPECT_EQ(verified.claims.sub, id);
  EXPECT_EQ(verified.claims.sid, tokens.session_id);
  EXPECT_EQ(verified.claims.jti, tokens.access.jti);
  EXPECT_EQ(verified.claims.iat, kStart);
  EXPECT_EQ(verified.claims.exp - verified.claims.iat, 900);
}

TEST_F(SessionServiceTest, UnknownEmailIsInvalidCredentials) {
  add_user("alice@example.com");
  const LoginResult result = service_.login("bob@example.com", kPassword, "10.0.0.1");
  EXPECT_EQ(result.outcome, LoginOutcome::invalid_credentials);
  EXPECT_FALSE(result.tokens.has_value());
}

TEST_F(SessionServiceTest, WrongPasswordIsInvalidCredentials) {
  add_user("alice@example.com");
  const LoginResult result = service_.login("alice@example.com", kPassword + "!", "10.0.0.1");
  EXPECT_EQ(result.outcome, LoginOutcome::invalid_credentials);
  EXPECT_FALSE(result.tokens.has_value());
}

TEST_F(SessionServiceTest, AccountWithoutPasswordIsInvalidCredentials) {
  temp_.add_user("google-only@example.com");  // signs in with Google only
  EXPECT_EQ(service_.login("google-only@example.com", "", "10.0.0.1").outcome, LoginOutcome::invalid_credentials);
  EXPECT_EQ(service_.login("google-only@example.com", kPassword, "10.0.0.1").outcome,
            LoginOutcome::invalid_credentials);
}

TEST_F(SessionServiceTest, UnconfirmedEmailIsToldOnlyAfterTheRightPassword) {
  add_user("alice@example.com", /*confirmed=*/false);
  EXPECT_EQ(service_.login("alice@example.com", "wrong password", "10.0.0.1").outcome, LoginOutcome::invalid_credentials);
  const LoginResult result = service_.login("alice@example.com", kPassword, "10.0.0.1");
  EXPECT_EQ(result.outcome, LoginOutcome::email_not_confirmed);
  EXPECT_FALSE(result.tokens.has_value());
}

TEST_F(SessionServiceTest, DisabledAccountIsToldOnlyAfterTheRightPassword) {
  add_user("alice@example.com", /*confirmed=*/true, /*active=*/false);
  EXPECT_EQ(service_.login("alice@example.com", "wrong password", "10.0.0.1").outcome, LoginOutcome::invalid_credentials);
  const LoginResult result = service_.login("alice@example.com", kPassword, "10.0.0.1");
  EXPECT_EQ(result.outcome, LoginOutcome::account_disabled);
  EXPECT_FALSE(result.tokens.has_value());
}

TEST_F(SessionServiceTest, TooManyFailuresAreRateLimitedEvenWithTheRightPassword) {
  add_user("alice@example.com");
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(service_.login("alice@example.com", "wrong", "10.0.0." + std::to_string(i)).outcome,
              LoginOutcome::invalid_credentials);
  const LoginResult result = service_.login("ALICE@example.com", kPassword, "10.0.0.9");
  EXPECT_EQ(result.outcome, LoginOutcome::rate_limited);
  EXPECT_FALSE(result.tokens.has_value());
  EXPECT_GT(result.retry_after, 0s);
  EXPECT_LE(result.retry_after, 900s);
}

TEST_F(SessionServiceTest, SuccessfulLoginResetsTheAccountsFailures) {
  add_user("alice@example.com");
  for (int i = 0; i < 2; ++i) service_.login("alice@example.com", "wrong", "10.0.0.1");
  login();
  for (int i = 0; i < 2; ++i) service_.login("alice@example.com", "wrong", "10.0.0.1");
  EXPECT_EQ(service_.login("alice@example.com", kPassword, "10.0.0.1").outcome, LoginOutcome::ok);
}

// A login that fails on the database (answered 503) is no failed guess: it does not lock the account.
TEST_F(SessionServiceTest, ALoginTheDatabaseFailedIsNotCountedAsAFailure) {
  add_user("alice@example.com");
  for (int i = 0; i < 2; ++i) service_.login("alice@example.com", "wrong", "10.0.0.1");
  db().run([](soci::session& sql) { sql << "ALTER TABLE users RENAME TO users_away"; });
  EXPECT_ANY_THROW(service_.login("alice@example.com", "wrong", "10.0.0.1"));
  db().run([](soci::session& sql) { sql << "ALTER TABLE users_away RENAME TO users"; });
  EXPECT_EQ(service_.login("alice@example.com", "wrong", "10.0.0.1").outcome, LoginOutcome::invalid_credentials)
      << "the third failure, not the fourth";
  EXPECT_EQ(service_.login("alice@example.com", kPassword, "10.0.0.1").outcome, LoginOutcome::rate_limited);
}

TEST_F(SessionServiceTest, LoginRehashesAPasswordHashedWithOldParameters) {
  const password::Hasher old_hasher(password::Parameters{128, 1, 1}, 1);
  const std::string id = temp_.add_user("alice@example.com", old_hasher.hash(kPassword));
  login();
  const auto stored = store::UserStore(db()).find_by_id(id);
  ASSERT_TRUE(stored && stored->password_hash);
  EXPECT_FALSE(hasher_.needs_rehash(*stored->password_hash)) << *stored->password_hash;
  EXPECT_TRUE(hasher_.verify(kPassword, *stored->password_hash));
}

// --- refresh ---

TEST_F(SessionServiceTest, RefreshRotatesToANewTokenInTheSameSession) {
  add_user("alice@example.com");
  const IssuedTokens first = login();
  advance(60s);
  const RefreshResult second = service_.refresh(*first.refresh_token);
  ASSERT_EQ(second.outcome, RefreshOutcome::rotated);
  ASSERT_TRUE(second.tokens && second.tokens->refresh_token);
  EXPECT_NE(*second.tokens->refresh_token, *first.refresh_token);
  EXPECT_EQ(second.tokens->session_id, first.session_id);
  EXPECT_EQ(second.tokens->refresh_expires_at, kStart + 60 + 3600);
  EXPECT_NE(second.tokens->access.jti, first.access.jti);
  EXPECT_EQ(verify(second.tokens->access.token).claims.sid, first.session_id);
  // The successor rotates in turn.
  advance(60s);
  EXPECT_EQ(service_.refresh(*second.tokens->refresh_token).outcome, RefreshOutcome::rotated);
}

TEST_F(SessionServiceTest, UnknownRefreshTokenIsInvalid) {
  add_user("alice@example.com");
  login();
  EXPECT_EQ(service_.refresh("not-a-token-we-issued").outcome, RefreshOutcome::invalid);
  EXPECT_EQ(service_.refresh("").outcome, RefreshOutcome::invalid);
}

TEST_F(SessionServiceTest, UsedTokenWithinGraceGetsAnAccessTokenOnlyForTheSameSession) {
  add_user("alice@example.com");
  const IssuedTokens first = login();
  const RefreshResult winner = service_.refresh(*first.refresh_token);
  ASSERT_EQ(winner.outcome, RefreshOutcome::rotated);
  advance(10s);  // the grace window, inclusive
  const RefreshResult loser = service_.refresh(*first.refresh_token);
  ASSERT_EQ(loser.outcome, RefreshOutcome::grace);
  ASSERT_TRUE(loser.tokens.has_value());
  EXPECT_FALSE(loser.tokens->refresh_token.has_value());
  EXPECT_EQ(loser.tokens->session_id, first.session_id);
  EXPECT_EQ(verify(loser.tokens->access.token).error, jwt::AccessTokenError::none);
  EXPECT_EQ(verify(loser.tokens->access.token).claims.sid, first.session_id);
  // The session did not fork: the winner's token still rotates, and the session stands.
  EXPECT_FALSE(session_revoked(first.session_id));
  EXPECT_EQ(service_.refresh(*winner.tokens->refresh_token).outcome, RefreshOutcome::rotated);
}

TEST_F(SessionServiceTest, ReuseAfterGraceRevokesTheSession) {
  add_user("alice@example.com");
  const IssuedTokens first = login();
  const RefreshResult winner = service_.refresh(*first.refresh_token);
  ASSERT_EQ(winner.outcome, RefreshOutcome::rotated);
  ASSERT_TRUE(revocations_.allows(first.session_id, winner.tokens->access.jti, first.user.id));  // now cached
  advance(11s);
  const RefreshResult thief = service_.refresh(*first.refresh_token);
  EXPECT_EQ(thief.outcome, RefreshOutcome::reused);
  EXPECT_FALSE(thief.tokens.has_value());
  EXPECT_TRUE(session_revoked(first.session_id));
  EXPECT_EQ(service_.refresh(*winner.tokens->refresh_token).outcome, RefreshOutcome::invalid);
  EXPECT_FALSE(revocations_.allows(first.session_id, winner.tokens->access.jti, first.user.id))
      << "the session's access tokens must be refused at once on this host";
}

// CONTRACT §6: the grace window is counted in milliseconds. Rotations happen 0.7 s into a second,
// so a window counted in whole seconds would see 1 s where 1.2 s (or 1.001 s) have passed.
TEST_F(SessionServiceTest, ReuseAt1200msIsReuseWithAOneSecondGrace) {
  const auto [first, winner] = rotate_700ms_into_a_second();
  ASSERT_EQ(winner.outcome, RefreshOutcome::rotated);
  advance(1200ms);
  EXPECT_EQ(service_.refresh(*first.refresh_token).outcome, RefreshOutcome::reused);
  EXPECT_TRUE(session_revoked(first.session_id));
  EXPECT_EQ(service_.refresh(*winner.tokens->refresh_token).outcome, RefreshOutcome::invalid);
}

TEST_F(SessionServiceTest, ReuseAt300msIsGraceWithAOneSecondGrace) {
  const auto [first, winner] = rotate_700ms_into_a_second();
  ASSERT_EQ(winner.outcome, RefreshOutcome::rotated);
  advance(300ms);
  EXPECT_EQ(service_.refresh(*first.refresh_token).outcome, RefreshOutcome::grace);
  EXPECT_FALSE(session_revoked(first.session_id));
  EXPECT_EQ(service_.refresh(*winner.tokens->refresh_token).outcome, RefreshOutcome::rotated);
}

TEST_F(SessionServiceTest, GraceWindowEndsOneMillisecondAfterItsLength) {
  config_.tokens.refresh_reuse_grace_seconds = 1;
  add_user("alice@example.com");
  const IssuedTokens first = login();
  advance(700ms);
  ASSERT_EQ(service_.refresh(*first.refresh_token).outcome, RefreshOutcome::rotated);
  advance(1000ms);  // inclusive
  EXPECT_EQ(service_.refresh(*first.refresh_token).outcome, RefreshOutcome::grace);
  advance(1ms);
  EXPECT_EQ(service_.refresh(*first.refresh_token).outcome, RefreshOutcome::reused);
  EXPECT_TRUE(session_revoked(first.session_id));
}

TEST_F(SessionServiceTest, ReuseRevokesOnlyThatSession) {
  add_user("alice@example.com");
  const IssuedTokens stolen = login();
  const IssuedTokens other = login();
  ASSERT_EQ(service_.refresh(*stolen.refresh_token).outcome, RefreshOutcome::rotated);
  advance(60s);
  ASSERT_EQ(service_.refresh(*stolen.refresh_token).outcome, RefreshOutcome::reused);
  EXPECT_FALSE(session_revoked(other.session_id));
  EXPECT_EQ(service_.refresh(*other.refresh_token).outcome, RefreshOutcome::rotated);
}

TEST_F(SessionServiceTest, UnusedRefreshTokenDiesAfterTheRefreshTtl) {
  add_user("alice@example.com");
  const IssuedTokens a = login();
  const IssuedTokens b = login();
  advance(3599s);
  EXPECT_EQ(service_.refresh(*a.refresh_token).outcome, RefreshOutcome::rotated);
  advance(1s);
  EXPECT_EQ(service_.refresh(*b.refresh_token).outcome, RefreshOutcome::invalid);
}

TEST_F(SessionServiceTest, SessionMaxCapsTheSuccessorsExpiry) {
  add_user("alice@example.com");
  const IssuedTokens first = login();  // session ends at kStart + 7200
  advance(3000s);
  const RefreshResult second = service_.refresh(*first.refresh_token);
  ASSERT_EQ(second.outcome, RefreshOutcome::rotated);
  EXPECT_EQ(second.tokens->refresh_expires_at, kStart + 3000 + 3600);
  advance(3000s);
  const RefreshResult third = service_.refresh(*second.tokens->refresh_token);
  ASSERT_EQ(third.outcome, RefreshOutcome::rotated);
  EXPECT_EQ(third.tokens->refresh_expires_at, kStart + 7200) << "capped by session_max_seconds";
  advance(1200s);  // kStart + 7200
  EXPECT_EQ(service_.refresh(*third.tokens->refresh_token).outcome, RefreshOutcome::invalid);
}

TEST_F(SessionServiceTest, DisabledUserCannotRefresh) {
  const std::string id = add_user("alice@example.com");
  const IssuedTokens first = login();
  ASSERT_TRUE(store::UserStore(db()).set_active(id, false));
  EXPECT_EQ(service_.refresh(*first.refresh_token).outcome, RefreshOutcome::invalid);
}

// --- logout ---

TEST_F(SessionServiceTest, LogoutWithAnAccessTokenDeniesItAndRevokesTheSession) {
  add_user("alice@example.com");
  const IssuedTokens tokens = login();
  ASSERT_TRUE(revocations_.allows(tokens.session_id, tokens.access.jti, tokens.user.id));  // now cached
  service_.logout(AccessTokenRef{tokens.session_id, tokens.access.jti, tokens.access.exp}, std::nullopt);
  EXPECT_TRUE(store::DenylistStore(db()).contains(tokens.access.jti));
  EXPECT_TRUE(session_revoked(tokens.session_id));
  EXPECT_EQ(service_.refresh(*tokens.refresh_token).outcome, RefreshOutcome::invalid);
  EXPECT_FALSE(revocations_.allows(tokens.session_id, tokens.access.jti, tokens.user.id));
}

TEST_F(SessionServiceTest, LogoutWithARefreshTokenRevokesItsSession) {
  add_user("alice@example.com");
  const IssuedTokens tokens = login();
  const IssuedTokens other = login();
  ASSERT_TRUE(revocations_.allows(tokens.session_id, tokens.access.jti, tokens.user.id));  // now cached
  service_.logout(std::nullopt, *tokens.refresh_token);
  EXPECT_TRUE(session_revoked(tokens.session_id));
  EXPECT_FALSE(session_revoked(other.session_id));
  EXPECT_EQ(service_.refresh(*tokens.refresh_token).outcome, RefreshOutcome::invalid);
  EXPECT_FALSE(revocations_.allows(tokens.session_id, tokens.access.jti, tokens.user.id));
}

TEST_F(SessionServiceTest, LogoutWithARotatedRefreshTokenStillRevokesItsSession) {
  add_user("alice@example.com");
  const IssuedTokens first = login();
  const RefreshResult second = service_.refresh(*first.refresh_token);
  ASSERT_EQ(second.outcome, RefreshOutcome::rotated);
  service_.logout(std::nullopt, *first.refresh_token);
  EXPECT_TRUE(session_revoked(first.session_id));
  EXPECT_EQ(service_.refresh(*second.tokens->refresh_token).outcome, RefreshOutcome::invalid);
}

TEST_F(SessionServiceTest, LogoutWithoutOrWithUnknownTokensDoesNothing) {
  add_user("alice@example.com");
  const IssuedTokens tokens = login();
  EXPECT_NO_THROW(service_.logout(std::nullopt, std::nullopt));
  EXPECT_NO_THROW(service_.logout(std::nullopt, std::string("unknown")));
  EXPECT_FALSE(session_revoked(tokens.session_id));
}

TEST_F(SessionServiceTest, LogoutAllRevokesEverySessionOfTheUserOnly) {
  add_user("alice@example.com");
  add_user("bob@example.com");
  const IssuedTokens a1 = login("alice@example.com");
  const IssuedTokens a2 = login("alice@example.com");
  const IssuedTokens b = login("bob@example.com");
  ASSERT_TRUE(revocations_.allows(a1.session_id, a1.access.jti, a1.user.id));  // now cached
  service_.logout_all(a1.user.id);
  EXPECT_TRUE(session_revoked(a1.session_id));
  EXPECT_TRUE(session_revoked(a2.session_id));
  EXPECT_FALSE(session_revoked(b.session_id));
  EXPECT_EQ(service_.refresh(*a1.refresh_token).outcome, RefreshOutcome::invalid);
  EXPECT_EQ(service_.refresh(*a2.refresh_token).outcome, RefreshOutcome::invalid);
  EXPECT_EQ(service_.refresh(*b.refresh_token).outcome, RefreshOutcome::rotated);
  EXPECT_FALSE(revocations_.allows(a1.session_id, a1.access.jti, a1.user.id));
}

// A sign-in inside a caller's transaction (mfa/verify, a magic link) leaves its audit event to the
// caller: nothing is announced until the caller's commit, and a rollback leaves nothing at all.
TEST_F(SessionServiceTest, SignInWithinACallersTransactionLeavesTheAnnouncementToTheCaller) {
  std::vector<std::string> announced;
  audit::AuditLog log(db(), 90, [&](const audit::AuditEvent& event, const std::string&) { announced.push_back(event.event); });
  service_.set_audit(&log);
  const std::string id = add_user("caller@example.com");
  const store::User user = *store::UserStore(db()).find_by_id(id);

  audit::Pending events;
  const SignIn signed_in = db().transaction([&] { return service_.sign_in(user, {"email"}, "magic_link.used", events); });
  ASSERT_TRUE(signed_in.tokens);
  EXPECT_TRUE(announced.empty()) << "announced before the caller's commit";
  ASSERT_EQ(events.size(), 1u);
  log.announce(events);
  EXPECT_EQ(announced, std::vector<std::string>{"magic_link.used"});

  announced.clear();
  audit::Pending rolled_back;
  EXPECT_THROW(db().transaction([&] {
    service_.start_session(user, "login.succeeded", {"pwd"}, rolled_back);
    throw std::runtime_error("the caller's next step failed");
  }), std::runtime_error);
  EXPECT_TRUE(announced.empty());
  EXPECT_EQ(store::SessionStore(db()).list_for_user(id).size(), 1u);  // only the first sign-in's session
}

// A passkey is a second factor (CONTRACT §10): with one, a first factor answers a challenge whose
// methods name only what the user has; user_mfa counts them.
TEST_F(SessionServiceTest, APasskeyAloneIsASecondFactor) {
  const std::string id = add_user("keyed@example.com");
  const store::User user = *store::UserStore(db()).find_by_id(id);
  EXPECT_EQ(service_.user_mfa(id).passkeys, 0);
  store::Passkey passkey;
  passkey.id = "0123456789abcdef0123456789abcdef";
  passkey.user_id = id;
  passkey.credential_id = "Y3JlZA";
  passkey.public_key = "a2V5";
  passkey.algorithm = -7;
  passkey.name = "Laptop";
  ASSERT_TRUE(store::PasskeyStore(db()).insert(passkey));
  EXPECT_EQ(service_.user_mfa(id).passkeys, 1);
  EXPECT_FALSE(service_.user_mfa(id).totp);

  const LoginResult result = service_.login("keyed@example.com", kPassword, "10.0.0.1");
  ASSERT_EQ(result.outcome, LoginOutcome::mfa_required);
  EXPECT_EQ(result.second_factor->methods, std::vector<std::string>{"passkey"});
  EXPECT_FALSE(result.tokens);
  const SignIn google = service_.sign_in(user, {"ext"}, "google.signed_in");
  ASSERT_TRUE(google.second_factor);
  EXPECT_EQ(google.second_factor->methods, std::vector<std::string>{"passkey"});
  EXPECT_TRUE(store::SessionStore(db()).list_for_user(id).empty());
  // A flagged passkey still asks for a second factor.
  store::PasskeyStore(db()).flag(passkey.id, 1);
  EXPECT_TRUE(service_.sign_in(user, {"email"}, "magic_link.used").second_factor);
  // Without it, the first factor is enough again.
  store::PasskeyStore(db()).remove_for_user(passkey.id, id);
  EXPECT_TRUE(service_.sign_in(user, {"email"}, "magic_link.used").tokens);
}

}  // namespace
}  // namespace latchkey::session
