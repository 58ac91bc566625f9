// SessionStore: create, touch, revoke one, revoke all but the current, the revocation feed, the
// owner's view (live sessions listed, one revoked only by its owner).
#include "store/session_store.h"

#include "store/user_store.h"
#include "test_database.h"

namespace latchkey::store::testing {
namespace {

using Sessions = StoreTest;

std::string make_user(Database& db, const std::string& email) {
    NewUser user;
    user.email = email;
    user.created_at = now_seconds();
    return UserStore(db).create(user).id;
}

TEST_P(Sessions, CreateFindAndTouch) {
    SessionStore sessions(db());
    const auto user = make_user(db(), "s1@example.com");
    const auto session = sessions.create(user, 100, 1000);
    const auto found = sessions.find(session.id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->user_id, user);
    EXPECT_EQ(found->created_at, 100);
    EXPECT_EQ(found->expires_at, 1000);
    EXPECT_FALSE(found->revoked_at);
    EXPECT_TRUE(sessions.touch(session.id, 150));
    EXPECT_EQ(sessions.find(session.id)->last_used_at, 150);
    EXPECT_FALSE(sessions.touch("unknown", 150));
    EXPECT_FALSE(sessions.find("unknown"));
}

TEST_P(Sessions, KeepsTheLoginItCameFromAndStepUpChangesHowItAuthenticated) {
    SessionStore sessions(db());
    const auto user = make_user(db(), "s-login@example.com");
    const SessionLogin login{"192.0.2.7", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0", {"pwd"}, 100};
    const auto session = sessions.create(user, 100, 1000, login);
    auto found = sessions.find(session.id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->client_address, "192.0.2.7");
    EXPECT_EQ(found->user_agent, login.user_agent);
    EXPECT_EQ(found->amr, std::vector<std::string>({"pwd"}));
    EXPECT_EQ(found->auth_time, 100);

    EXPECT_TRUE(sessions.set_authentication(session.id, {"pwd", "otp"}, 160));
    found = sessions.find(session.id);
    EXPECT_EQ(found->amr, std::vector<std::string>({"pwd", "otp"}));
    EXPECT_EQ(found->auth_time, 160);
    // The same again (a second step-up within the second): nothing changes, and it is still true.
    EXPECT_TRUE(sessions.set_authentication(session.id, {"pwd", "otp"}, 160));
    EXPECT_FALSE(sessions.set_authentication("unknown", {"otp"}, 170));
    ASSERT_TRUE(sessions.revoke(session.id, 180));
    EXPECT_FALSE(sessions.set_authentication(session.id, {"pwd", "otp"}, 190));  // a revoked session stays ended
}

TEST(AmrColumn, JoinsAndSplitsOnSpaces) {
    EXPECT_EQ(join_amr({"pwd", "otp"}), "pwd otp");
    EXPECT_EQ(join_amr({}), "");
    EXPECT_EQ(split_amr("pwd otp"), std::vector<std::string>({"pwd", "otp"}));
    EXPECT_EQ(split_amr(""), std::vector<std::string>());
    EXPECT_EQ(split_amr(" hwk  user "), std::vector<std::string>({"hwk", "user"}));
}

TEST_P(Sessions, RevokeEndsTheSessionOnce) {
    SessionStore sessions(db());
    const auto session = sessions.create(make_user(db(), "s2@example.com"), 100, 1000);
    EXPECT_FALSE(sessions.is_revoked(session.id));
    EXPECT_TRUE(sessions.revoke(session.id, 200));
    EXPECT_FALSE(sessions.revoke(session.id, 300));
    EXPECT_TRUE(sessions.is_revoked(session.id));
    EXPECT_EQ(sessions.find(session.id)->revoked_at, 200);
}

TEST_P(Sessions, UnknownSessionCountsAsRevoked) {
    EXPECT_TRUE(SessionStore(db()).is_revoked("no-such-session"));
}

TEST_P(Sessions, RevokeAllExceptCurrentKeepsOnlyCurrent) {
    SessionStore sessions(db());
    const auto user = make_user(db(), "s3@example.com"), other = make_user(db(), "s4@example.com");
    const auto current = sessions.create(user, 100, 1000);
    const auto a = sessions.create(user, 101, 1000), b = sessions.create(user, 102, 1000);
    const auto others = sessions.create(other, 103, 1000);
    EXPECT_EQ(sessions.revoke_all_for_user(user, 200, current.id), 2);
    EXPECT_FALSE(sessions.is_revoked(current.id));
    EXPECT_TRUE(sessions.is_revoked(a.id));
    EXPECT_TRUE(sessions.is_revoked(b.id));
    EXPECT_FALSE(sessions.is_revoked(others.id));
    EXPECT_EQ(sessions.revoke_all_for_user(user, 300), 1);
    EXPECT_TRUE(sessions.is_revoked(current.id));
    EXPECT_EQ(sessions.list_for_user(user).size(), 3u);
}

TEST_P(Sessions, ListLiveShowsTheUsersUnrevokedUnexpiredSessionsNewestFirst) {
    SessionStore sessions(db());
    const auto user = make_user(db(), "live@example.com");
    const auto other = make_user(db(), "live-other@example.com");
    const auto older = sessions.create(user, 100, 1000);
    const auto newer = sessions.create(user, 200, 1000);
    const auto expired = sessions.create(user, 300, 400);
    const auto revoked = sessions.create(user, 300, 1000);
    sessions.create(other, 300, 1000);
    ASSERT_TRUE(sessions.revoke(revoked.id, 350));
    std::vector<std::string> ids;
    for (const Session& s : sessions.list_live_for_user(user, 400)) ids.push_back(s.id);
    EXPECT_EQ(ids, std::vector<std::string>({newer.id, older.id}));
    EXPECT_EQ(sessions.list_live_for_user(user, 399).size(), 3u) << expired.id << " is live until 400";
    // With an idle limit, a session not used for that long is over; a refresh (touch) brings it back.
    EXPECT_EQ(sessions.list_live_for_user(user, 400, 250).size(), 1u);
    ASSERT_TRUE(sessions.touch(older.id, 390));
    ids.clear();
    for (const Session& s : sessions.list_live_for_user(user, 400, 250)) ids.push_back(s.id);
    EXPECT_EQ(ids, std::vector<std::string>({newer.id, older.id}));
    EXPECT_EQ(sessions.list_live_for_user(user, 400, 200).size(), 1u) << "used at 200, idle for 200 s: over";
}

TEST_P(Sessions, RevokeForUserEndsOnlyThatUsersLiveSession) {
    SessionStore sessions(db());
    const auto user = make_user(db(), "owner@example.com");
    const auto other = make_user(db(), "not-owner@example.com");
    const auto mine = sessions.create(user, 100, 1000);
    const auto theirs = sessions.create(other, 100, 1000);
    const auto expired = sessions.create(user, 100, 200);
    EXPECT_FALSE(sessions.revoke_for_user(theirs.id, user, 150));
    EXPECT_FALSE(sessions.is_revoked(theirs.id));
    EXPECT_FALSE(sessions.revoke_for_user("unknown", user, 150));
    EXPECT_FALSE(sessions.revoke_for_user(expired.id, user, 200));
    EXPECT_TRUE(sessions.revoke_for_user(mine.id, user, 150));
    EXPECT_EQ(sessions.find(mine.id)->revoked_at, 150);
    EXPECT_FALSE(sessions.revoke_for_user(mine.id, user, 160));  // once
}

TEST_P(Sessions, RevokedSinceListsRecentRevocations) {
    SessionStore sessions(db());
    const auto user = make_user(db(), "s5@example.com");
    const auto old_one = sessions.create(user, 100, 1000), new_one = sessions.create(user, 100, 1000);
    sessions.create(user, 100, 1000);
    sessions.revoke(old_one.id, 200);
    sessions.revoke(new_one.id, 300);
    const auto revoked = sessions.revoked_since(250);
    ASSERT_EQ(revoked.size(), 1u);
    EXPECT_EQ(revoked[0].id, new_one.id);
    EXPECT_EQ(revoked[0].revoked_at, 300);
    EXPECT_EQ(sessions.revoked_since(0).size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, Sessions, ::testing::Values(Backend::sqlite, Backend::postgresql, Backend::mysql),
                         backend_param_name);

}  // namespace
}  // namespace latchkey::store::testing
