// SessionService's own-sessions part (owned_sessions.cpp) on a temp SQLite database with a clock the
// test moves: the list (live only, newest first, current marked, device named), revoking one (the
// caller's only), logging out the others; each ended session audited and out of the revocation cache.
#include "audit/audit_log.h"
#include "audit/client_context.h"
#include "session/session_service.h"
#include "store/session_store.h"
#include "temp_database.h"
#include "throttle/memory_throttle.h"
#include "throttle/throttles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

namespace latchkey::session {
namespace {

using namespace std::chrono_literals;

constexpr const char* kFirefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
constexpr const char* kIphone =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
    "Mobile/15E148 Safari/604.1";

config::AuthConfig test_config() {
  config::AuthConfig c;
  c.tokens.secret = "0123456789abcdef0123456789abcdef";
  c.tokens.session_max_seconds = 7200;
  return c;
}

jwt::KeySet make_keys(const config::AuthConfig& c) {
  auto key = jwt::Key::from_hmac_secret(*c.tokens.secret);
  return std::move(*jwt::KeySet::create(std::move(*key.key)).key_set);
}

class OwnedSessions : public ::testing::Test {
 protected:
  OwnedSessions()
      : config_(test_config()),
        hasher_(password::Parameters{64, 1, 1}, 1),
        keys_(make_keys(config_)),
        revocations_(temp_.db(), 1h),
        throttle_(throttle::login_limits(config_)),
        audit_(temp_.db(), 90, [this](const audit::AuditEvent& event, const std::string&) { announced_.push_back(event); }),
        service_(config_, temp_.db(), hasher_, live_keys_, revocations_, throttle_, [this] { return now_; }) {
    service_.set_audit(&audit_);
    alice_ = temp_.add_user("alice@example.com");
    bob_ = temp_.add_user("bob@example.com");
  }

  // A session of user_id started from that address and User-Agent, then one second passes.
  IssuedTokens sign_in(const std::string& user_id, const char* address, const char* user_agent) {
    const audit::ClientScope client(address, user_agent);
    IssuedTokens tokens = service_.start_session(*service_.find_user(user_id), "login.succeeded", {"pwd"});
    now_ += 1s;
    return tokens;
  }
  bool allowed(const IssuedTokens& t) { return revocations_.allows(t.session_id, t.access.jti, t.user.id); }
  std::vector<std::string> revoked_events() const {
    std::vector<std::string> sessions;
    for (const audit::AuditEvent& e : announced_) {
      if (e.event != "session.revoked") continue;
      EXPECT_EQ(e.detail, R"({"by":"user"})");
      sessions.push_back(e.session_id);
    }
    return sessions;
  }

  testing::TempDatabase temp_;
  config::AuthConfig config_;
  password::Hasher hasher_;
  jwt::KeySet keys_;
  keys::LiveKeys live_keys_{keys::make_snapshot(keys_)};
  RevocationCache revocations_;
  throttle::MemoryThrottle throttle_;
  std::vector<audit::AuditEvent> announced_;
  audit::AuditLog audit_;
  std::chrono::system_clock::time_point now_{std::chrono::seconds(1800000000)};
  SessionService service_;
  std::string alice_, bob_;
};

TEST_F(OwnedSessions, ListsLiveSessionsNewestFirstWithDeviceAndCurrent) {
  const IssuedTokens laptop = sign_in(alice_, "10.0.0.1", kFirefox);
  const IssuedTokens phone = sign_in(alice_, "10.0.0.2", kIphone);
  sign_in(bob_, "10.0.0.3", kFirefox);
  const IssuedTokens ended = sign_in(alice_, "10.0.0.4", kFirefox);
  ASSERT_EQ(service_.revoke_session(alice_, ended.session_id), RevokeSessionOutcome::revoked);

  const std::vector<ListedSession> listed = service_.list_sessions(alice_, laptop.session_id);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].session.id, phone.session_id);
  EXPECT_EQ(listed[0].device, "Safari on iPhone");
  EXPECT_EQ(listed[0].session.client_address, "10.0.0.2");
  EXPECT_FALSE(listed[0].current);
  EXPECT_EQ(listed[1].session.id, laptop.session_id);
  EXPECT_EQ(listed[1].device, "Firefox on Windows");
  EXPECT_EQ(listed[1].session.amr, std::vector<std::string>{"pwd"});
  EXPECT_TRUE(listed[1].current);

  // Past its absolute end a session is no longer listed.
  now_ += std::chrono::seconds(config_.tokens.session_max_seconds);
  EXPECT_TRUE(service_.list_sessions(alice_, laptop.session_id).empty());
}

TEST_F(OwnedSessions, RevokingOneEndsItAndForgetsItInTheCache) {
  const IssuedTokens laptop = sign_in(alice_, "10.0.0.1", kFirefox);
  const IssuedTokens phone = sign_in(alice_, "10.0.0.2", kIphone);
  ASSERT_TRUE(allowed(phone));  // now cached as allowed

  EXPECT_EQ(service_.revoke_session(alice_, phone.session_id), RevokeSessionOutcome::revoked);
  EXPECT_FALSE(allowed(phone));
  EXPECT_TRUE(allowed(laptop));
  EXPECT_EQ(service_.refresh(*phone.refresh_token).outcome, RefreshOutcome::invalid);
  EXPECT_EQ(revoked_events(), std::vector<std::string>{phone.session_id});
  // Again: nothing left to end.
  EXPECT_EQ(service_.revoke_session(alice_, phone.session_id), RevokeSessionOutcome::not_found);
  EXPECT_EQ(revoked_events().size(), 1u);
}

TEST_F(OwnedSessions, AnotherUsersOrAnUnknownSessionIsNotFoundAndEndsNothing) {
  const IssuedTokens bobs = sign_in(bob_, "10.0.0.3", kFirefox);
  EXPECT_EQ(service_.revoke_session(alice_, bobs.session_id), RevokeSessionOutcome::not_found);
  EXPECT_EQ(service_.revoke_session(alice_, "0123456789abcdef0123456789abcdef"), RevokeSessionOutcome::not_found);
  EXPECT_EQ(service_.revoke_session(alice_, ""), RevokeSessionOutcome::not_found);
  EXPECT_FALSE(store::SessionStore(temp_.db()).is_revoked(bobs.session_id));
  EXPECT_TRUE(allowed(bobs));
  EXPECT_TRUE(revoked_events().empty());
}

TEST_F(OwnedSessions, LogoutOthersKeepsOnlyTheCurrentSessionOfThisUser) {
  const IssuedTokens laptop = sign_in(alice_, "10.0.0.1", kFirefox);
  const IssuedTokens phone = sign_in(alice_, "10.0.0.2", kIphone);
  const IssuedTokens tablet = sign_in(alice_, "10.0.0.5", kIphone);
  const IssuedTokens bobs = sign_in(bob_, "10.0.0.3", kFirefox);
  ASSERT_TRUE(allowed(phone));

  EXPECT_EQ(service_.logout_others(alice_, laptop.session_id), 2);
  const std::vector<ListedSession> left = service_.list_sessions(alice_, laptop.session_id);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].session.id, laptop.session_id);
  EXPECT_FALSE(allowed(phone));
  EXPECT_FALSE(allowed(tablet));
  EXPECT_TRUE(allowed(laptop));
  EXPECT_TRUE(allowed(bobs));
  std::vector<std::string> events = revoked_events();
  std::sort(events.begin(), events.end());
  std::vector<std::string> expected{phone.session_id, tablet.session_id};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(events, expected);
  EXPECT_EQ(service_.logout_others(alice_, laptop.session_id), 0);
}

}  // namespace
}  // namespace latchkey::session
