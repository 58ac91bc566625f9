// DatabaseThrottle and ThrottleCountStore on each backend, with a wall clock the test moves: the
// limit counted across two pools ("hosts"), fixed windows and Retry-After, success forgiven, keys
// stored only hashed, old rows purged, and a failing database falling back to per-host counting.
#include "throttle/database_throttle.h"

#include "store/migrations.h"
#include "store/token_hash.h"
#include "test_database.h"

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

namespace latchkey::store::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using throttle::DatabaseThrottle;
using throttle::Limits;
using throttle::ThrottleCountStore;

class ThrottleInDatabase : public StoreTest {
 protected:
  std::chrono::system_clock::time_point now{std::chrono::seconds(1'800'000'000)};
  std::vector<std::string> warnings;

  std::unique_ptr<DatabaseThrottle> make(Database& database, Limits limits) {
    return std::make_unique<DatabaseThrottle>(
        database, std::move(limits), [this](std::string_view line) { warnings.emplace_back(line); },
        [this] { return now; });
  }
  long long rows() {
    long long count = 0;
    db().run([&](soci::session& sql) { sql << "SELECT COUNT(*) FROM throttle_counts", soci::into(count); });
    return count;
  }
};

TEST_P(ThrottleInDatabase, TwoHostsTogetherReachTheLimitOnce) {
  auto other_pool = open(2);
  auto host_a = make(db(), {"login", 60, 4, 100});
  auto host_b = make(*other_pool, {"login", 60, 4, 100});
  for (int i = 0; i < 4; ++i) {
    EXPECT_FALSE((i % 2 ? host_a : host_b)->count("a@example.com", "10.0.0.1")) << "attempt " << i + 1;
  }
  EXPECT_TRUE(host_a->count("a@example.com", "10.0.0.9"));
  EXPECT_TRUE(host_b->count("a@example.com", "10.0.0.9"));
  EXPECT_FALSE(host_b->count("b@example.com", "10.0.0.9")) << "another account is free";
  EXPECT_TRUE(warnings.empty()) << warnings.front();
}

TEST_P(ThrottleInDatabase, RetryAfterIsTheRestOfTheFixedWindowAndThenItStartsOver) {
  auto throttle = make(db(), {"login", 60, 2, 100});
  EXPECT_FALSE(throttle->count("a@example.com", "10.0.0.1"));
  now += seconds(20);
  EXPECT_FALSE(throttle->count("a@example.com", "10.0.0.1"));
  now += milliseconds(10'500);
  const auto wait = throttle->count("a@example.com", "10.0.0.1");
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, seconds(30)) << "29.5 s left of the window that began with the first attempt, rounded up";
  now += milliseconds(29'500);
  EXPECT_FALSE(throttle->count("a@example.com", "10.0.0.1")) << "the window ended";
  EXPECT_FALSE(throttle->count("a@example.com", "10.0.0.1"));
  EXPECT_TRUE(throttle->count("a@example.com", "10.0.0.1"));
}

TEST_P(ThrottleInDatabase, AnAttemptRefusedByTheAddressCostsTheAccountNothing) {
  auto throttle = make(db(), {"login", 60, 2, 2});
  EXPECT_FALSE(throttle->count("a@example.com", "10.0.0.1"));
  EXPECT_FALSE(throttle->count("b@example.com", "10.0.0.1"));
  EXPECT_TRUE(throttle->count("c@example.com", "10.0.0.1")) << "the address is at its limit";
  EXPECT_TRUE(throttle->count("c@example.com", "10.0.0.1"));
  EXPECT_FALSE(throttle->count("c@example.com", "10.0.0.2"));
  EXPECT_FALSE(throttle->count("c@example.com", "10.0.0.3")) << "c's refused attempts were not counted";
  EXPECT_TRUE(throttle->count("c@example.com", "10.0.0.4"));
}

TEST_P(ThrottleInDatabase, AnAttemptRefusedByTheAccountIsNotCountedForTheAddress) {
  auto throttle = make(db(), {"login", 60, 1, 2});
  EXPECT_FALSE(throttle->count("a@example.com", "10.0.0.1"));
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(throttle->count("a@example.com", "10.0.0.2"));
  EXPECT_FALSE(throttle->count("b@example.com", "10.0.0.2"));
  EXPECT_FALSE(throttle->count("c@example.com", "10.0.0.2")) << "the five refusals cost 10.0.0.2 nothing";
  EXPECT_TRUE(throttle->count("d@example.com", "10.0.0.2"));
}

TEST_P(ThrottleInDatabase, SuccessClearsTheAccountAndIsNotCountedForTheAddress) {
  auto throttle = make(db(), {"login", 60, 2, 3});
  EXPECT_FALSE(throttle->count("a@example.com", "10.0.0.1"));
  EXPECT_FALSE(throttle->count("a@example.com", "10.0.0.1"));
  throttle->succeeded("a@example.com", "10.0.0.1");
  EXPECT_FALSE(throttle->count("a@example.com", "10.0.0.2")) << "the account starts over";
  EXPECT_FALSE(throttle->count("a@example.com", "10.0.0.2"));
  EXPECT_FALSE(throttle->count("b@example.com", "10.0.0.1"));
  EXPECT_FALSE(throttle->count("c@example.com", "10.0.0.1")) << "the address counts 1 + 2, not 2 + 2";
  EXPECT_TRUE(throttle->count("d@example.com", "10.0.0.1"));
}

TEST_P(ThrottleInDatabase, AWithdrawnAttemptCountsForNeitherKey) {
  auto throttle = make(db(), {"login", 60, 1, 1});
  EXPECT_FALSE(throttle->count("a@example.com", "10.0.0.1"));
  throttle->withdraw("a@example.com", "10.0.0.1");
  EXPECT_FALSE(throttle->count("a@example.com", "10.0.0.1"));
  EXPECT_TRUE(throttle->count("a@example.com", "10.0.0.2"));
  EXPECT_TRUE(throttle->count("b@example.com", "10.0.0.1"));
}

TEST_P(ThrottleInDatabase, ManyThreadsOnTwoPoolsNeverPassMoreThanTheLimit) {
  auto other_pool = open(4);
  auto host_a = make(db(), {"login", 60, 5, 1000});
  auto host_b = make(*other_pool, {"login", 60, 5, 1000});
  std::atomic<int> passed{0};
  std::latch start(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < 5; ++i)
        if (!(t % 2 ? host_a : host_b)->count("target@example.com", "10.0.0." + std::to_string(t))) ++passed;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(passed.load(), 5);
  EXPECT_TRUE(warnings.empty()) << warnings.front();
}

TEST_P(ThrottleInDatabase, KeysAreStoredOnlyAsHashes) {
  auto throttle = make(db(), {"resend", 60, 1, 10});
  EXPECT_FALSE(throttle->count("private@example.com", "192.0.2.77"));
  std::vector<std::string> keys(10);
  db().run([&](soci::session& sql) { sql << "SELECT key_hash FROM throttle_counts ORDER BY kind", soci::into(keys); });
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0], hash_token("private@example.com"));
  EXPECT_EQ(keys[1], hash_token("192.0.2.77"));
}

TEST_P(ThrottleInDatabase, RowsOfEndedWindowsArePurged) {
  auto throttle = make(db(), {"login", 60, 5, 100});
  EXPECT_FALSE(throttle->count("a@example.com", "10.0.0.1"));
  EXPECT_EQ(rows(), 2);
  now += seconds(61);
  EXPECT_EQ(ThrottleCountStore(db()).purge(std::chrono::duration_cast<milliseconds>(now.time_since_epoch()).count()), 2);
  EXPECT_EQ(rows(), 0);
  now += seconds(61);
  EXPECT_FALSE(throttle->count("b@example.com", "10.0.0.2"));
  now += seconds(61);
  EXPECT_FALSE(throttle->count("c@example.com", "10.0.0.3")) << "a minute later: this count purges b's rows";
  EXPECT_EQ(rows(), 2);
}

TEST_P(ThrottleInDatabase, WhenTheDatabaseFailsEachHostCountsOnItsOwnAndSaysSo) {
  auto throttle = make(db(), {"login", 60, 2, 100});
  db().run([](soci::session& sql) { sql << "DROP TABLE throttle_counts"; });
  EXPECT_FALSE(throttle->count("a@example.com", "10.0.0.1"));
  EXPECT_FALSE(throttle->count("a@example.com", "10.0.0.1"));
  EXPECT_TRUE(throttle->count("a@example.com", "10.0.0.1")) << "still limited: never unlimited";
  EXPECT_FALSE(throttle->count("b@example.com", "10.0.0.1")) << "nobody else locked out";
  ASSERT_EQ(warnings.size(), 1u) << "one warning a minute, not one per attempt";
  EXPECT_NE(warnings[0].find("could not count"), std::string::npos) << warnings[0];
  EXPECT_EQ(warnings[0].find("a@example.com"), std::string::npos) << warnings[0];
}

INSTANTIATE_TEST_SUITE_P(Backends, ThrottleInDatabase,
                         ::testing::Values(Backend::sqlite, Backend::postgresql, Backend::mysql), backend_param_name);

}  // namespace
}  // namespace latchkey::store::testing
