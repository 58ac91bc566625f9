// RevocationCache on SQLite: revoked sessions, denied jtis and disabled users are refused; answers
// are cached for the TTL and no longer; forget_* makes the next answer fresh; an unanswerable
// question is StoreUnavailable (fail closed), while a cached answer is still served.
#include "session/revocation_cache.h"

#include "store/denylist_store.h"
#include "store/session_store.h"
#include "store/user_store.h"
#include "temp_database.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace latchkey::session {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class RevocationCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    user_id_ = temp_.add_user("r@example.com");
    session_id_ = store::SessionStore(db()).create(user_id_, 1000, 4000000000).id;
  }
  store::Database& db() { return temp_.db(); }
  bool allows(RevocationCache& cache) { return cache.allows(session_id_, "jti-1", user_id_); }
  void revoke() { ASSERT_TRUE(store::SessionStore(db()).revoke(session_id_, 2000)); }

  testing::TempDatabase temp_;
  std::string user_id_;
  std::string session_id_;
};

TEST_F(RevocationCacheTest, ActiveSessionOfActiveUserIsAllowed) {
  RevocationCache cache(db(), 1s);
  EXPECT_TRUE(allows(cache));
}

TEST_F(RevocationCacheTest, RevokedSessionIsRefused) {
  revoke();
  RevocationCache cache(db(), 1s);
  EXPECT_FALSE(allows(cache));
}

TEST_F(RevocationCacheTest, UnknownSessionIsRefused) {
  RevocationCache cache(db(), 1s);
  EXPECT_FALSE(cache.allows("no-such-session", "jti-1", user_id_));
}

TEST_F(RevocationCacheTest, DenylistedJtiIsRefused) {
  store::DenylistStore(db()).add("jti-1", 4000000000);
  RevocationCache cache(db(), 1s);
  EXPECT_FALSE(allows(cache));
  EXPECT_TRUE(cache.allows(session_id_, "jti-2", user_id_));
}

TEST_F(RevocationCacheTest, DisabledUserIsRefused) {
  ASSERT_TRUE(store::UserStore(db()).set_active(user_id_, false));
  RevocationCache cache(db(), 1s);
  EXPECT_FALSE(allows(cache));
}

TEST_F(RevocationCacheTest, UnknownUserIsRefused) {
  RevocationCache cache(db(), 1s);
  EXPECT_FALSE(cache.allows(session_id_, "jti-1", "no-such-user"));
}

TEST_F(RevocationCacheTest, AnswerIsCachedForTheTtlThenFetchedAgain) {
  constexpr auto ttl = 300ms;
  RevocationCache cache(db(), ttl);
  const auto asked = Clock::now();
  ASSERT_TRUE(allows(cache));
  revoke();
  const auto stale_asked = Clock::now();
  const bool stale = allows(cache);
  if (stale_asked - asked < ttl) {
    EXPECT_TRUE(stale) << "the revocation was seen before the TTL ran out";
  } else {
    ADD_FAILURE() << "the machine took longer than the TTL between two lines; rerun";
  }
  // Poll until the revocation shows; it must not show before the TTL, and must show soon after.
  Clock::time_point seen;
  const auto deadline = asked + 5s;
  while (allows(cache)) {
    ASSERT_LT(Clock::now(), deadline) << "the revocation never showed";
    std::this_thread::sleep_for(10ms);
  }
  seen = Clock::now();
  EXPECT_GE(seen - asked, ttl);
}

TEST_F(RevocationCacheTest, ZeroTtlAsksEveryTime) {
  RevocationCache cache(db(), 0ms);
  ASSERT_TRUE(allows(cache));
  revoke();
  EXPECT_FALSE(allows(cache));
}

// Every access token has its own jti, so a host sees an endless stream of new ones: answers past
// their TTL must be dropped, not kept until the maps are full (the soak's RSS grew ~1.4 MB/min).
TEST_F(RevocationCacheTest, AnswersPastTheTtlAreDropped) {
  constexpr auto ttl = 300ms;
  RevocationCache cache(db(), ttl);
  const auto started = Clock::now();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(cache.allows(session_id_, "jti-" + std::to_string(i), user_id_));
  if (Clock::now() - started < ttl) EXPECT_EQ(cache.entries(), 102u) << "answers within the TTL are kept";
  std::this_thread::sleep_for(ttl + 50ms);
  ASSERT_TRUE(cache.allows(session_id_, "jti-new", user_id_));
  EXPECT_EQ(cache.entries(), 3u) << "only the session, the user and the new jti";
}

TEST_F(RevocationCacheTest, ForgetSessionMakesTheNextAnswerFresh) {
  RevocationCache cache(db(), 1h);
  ASSERT_TRUE(allows(cache));
  revoke();
  EXPECT_TRUE(allows(cache)) << "cached for an hour";
  cache.forget_session(session_id_);
  EXPECT_FALSE(allows(cache));
}

TEST_F(RevocationCacheTest, ForgetUserMakesTheNextAnswerFresh) {
  RevocationCache cache(db(), 1h);
  ASSERT_TRUE(allows(cache));
  ASSERT_TRUE(store::UserStore(db()).set_active(user_id_, false));
  EXPECT_TRUE(allows(cache)) << "cached for an hour";
  cache.forget_user(user_id_);
  EXPECT_FALSE(allows(cache));
}

TEST_F(RevocationCacheTest, RefusalIsCachedToo) {
  RevocationCache cache(db(), 1h);
  store::DenylistStore(db()).add("jti-1", 4000000000);
  ASSERT_FALSE(allows(cache));
  store::DenylistStore(db()).purge_expired(4000000001);
  EXPECT_FALSE(allows(cache));
}

// The pool's one connection is held by a transaction on this thread; another thread asks.
class RevocationCacheUnreachableStore : public RevocationCacheTest {
 protected:
  void SetUp() override {
    RevocationCacheTest::SetUp();
    store::DatabaseOptions options;
    options.pool_size = 1;
    options.lease_timeout = 100ms;
    one_ = temp_.open(options);
  }
  std::unique_ptr<store::Database> one_;
};

TEST_F(RevocationCacheUnreachableStore, UncachedQuestionIsStoreUnavailable) {
  RevocationCache cache(*one_, 1h);
  one_->transaction([&] {
    auto other = std::async(std::launch::async, [&] { return allows(cache); });
    EXPECT_THROW(other.get(), store::StoreUnavailable);
  });
  EXPECT_TRUE(allows(cache)) << "nothing was cached from the failure";
}

TEST_F(RevocationCacheUnreachableStore, CachedAnswerIsServedWithoutTheStore) {
  RevocationCache cache(*one_, 1h);
  ASSERT_TRUE(allows(cache));
  one_->transaction([&] {
    auto other = std::async(std::launch::async, [&] { return allows(cache); });
    EXPECT_TRUE(other.get());
  });
}

}  // namespace
}  // namespace latchkey::session
