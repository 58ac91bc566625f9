// LoginThrottle: per-account and per-address limits over a sliding window, Retry-After from the
// oldest failure still in the window, success clearing the account, and bounded memory. Time is
// passed in explicitly, so nothing here sleeps.
#include "throttle/login_throttle.h"

#include <gtest/gtest.h>

#include <malloc.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace latchkey::throttle {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// An arbitrary steady-clock instant, far from the clock's epoch.
const LoginThrottle::TimePoint t0 = LoginThrottle::TimePoint{} + std::chrono::hours(1000);

config::LoginThrottleConfig small_limits() {
  config::LoginThrottleConfig c;
  c.window_seconds = 60;
  c.max_failures_per_account = 3;
  c.max_failures_per_address = 5;
  return c;
}

TEST(LoginThrottle, AccountIsFreeBelowItsLimit) {
  LoginThrottle throttle(small_limits());
  EXPECT_FALSE(throttle.retry_after("a@example.com", "10.0.0.1", t0));
  throttle.record_failure("a@example.com", "10.0.0.1", t0);
  throttle.record_failure("a@example.com", "10.0.0.1", t0 + seconds(1));
  EXPECT_FALSE(throttle.retry_after("a@example.com", "10.0.0.1", t0 + seconds(2)));
}

// count_request checks and counts in one step: from many threads at once, exactly the limit passes.
TEST(LoginThrottle, CountRequestLetsExactlyTheLimitThroughFromManyThreads) {
  config::LoginThrottleConfig limits;
  limits.window_seconds = 60;
  limits.max_failures_per_account = 20;
  limits.max_failures_per_address = 20;
  LoginThrottle throttle(limits);
  std::atomic<int> passed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i)
        if (!throttle.count_request("10.0.0.1", "10.0.0.1", t0)) ++passed;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(passed.load(), 20);
  const auto wait = throttle.count_request("10.0.0.1", "10.0.0.1", t0 + seconds(10));
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, seconds(50));
  EXPECT_FALSE(throttle.count_request("10.0.0.1", "10.0.0.1", t0 + seconds(60))) << "the window has passed";
}

TEST(LoginThrottle, AccountIsLimitedFromEveryAddress) {
  LoginThrottle throttle(small_limits());
  throttle.record_failure("a@example.com", "10.0.0.1", t0);
  throttle.record_failure("a@example.com", "10.0.0.2", t0);
  throttle.record_failure("a@example.com", "10.0.0.3", t0);
  EXPECT_TRUE(throttle.retry_after("a@example.com", "10.0.0.4", t0 + seconds(1)));
  EXPECT_FALSE(throttle.retry_after("b@example.com", "10.0.0.4", t0 + seconds(1)));
}

TEST(LoginThrottle, AddressIsLimitedAcrossAccounts) {
  LoginThrottle throttle(small_limits());
  for (int i = 0; i < 5; ++i) throttle.record_failure("user" + std::to_string(i) + "@example.com", "10.0.0.9", t0);
  EXPECT_TRUE(throttle.retry_after("fresh@example.com", "10.0.0.9", t0 + seconds(1)));
  EXPECT_FALSE(throttle.retry_after("fresh@example.com", "10.0.0.10", t0 + seconds(1)));
}

TEST(LoginThrottle, RetryAfterCountsFromTheOldestFailureInTheWindow) {
  LoginThrottle throttle(small_limits());
  throttle.record_failure("a@example.com", "10.0.0.1", t0);
  throttle.record_failure("a@example.com", "10.0.0.1", t0 + seconds(10));
  throttle.record_failure("a@example.com", "10.0.0.1", t0 + seconds(20));
  EXPECT_EQ(throttle.retry_after("a@example.com", "10.0.0.1", t0 + seconds(25)), seconds(35));
}

TEST(LoginThrottle, RetryAfterRoundsUpToWholeSeconds) {
  LoginThrottle throttle(small_limits());
  for (int i = 0; i < 3; ++i) throttle.record_failure("a@example.com", "10.0.0.1", t0);
  EXPECT_EQ(throttle.retry_after("a@example.com", "10.0.0.1", t0 + milliseconds(25500)), seconds(35));
  EXPECT_EQ(throttle.retry_after("a@example.com", "10.0.0.1", t0 + milliseconds(59999)), seconds(1));
}

TEST(LoginThrottle, RetryAfterIsTheLongerOfAccountAndAddress) {
  LoginThrottle throttle(small_limits());
  // The address fills first (from t0), the account later (from t0 + 30 s).
  for (int i = 0; i < 5; ++i) throttle.record_failure("other" + std::to_string(i), "10.0.0.1", t0);
  for (int i = 0; i < 3; ++i) throttle.record_failure("a@example.com", "10.0.0.2", t0 + seconds(30));
  EXPECT_EQ(throttle.retry_after("a@example.com", "10.0.0.1", t0 + seconds(40)), seconds(50));
  EXPECT_EQ(throttle.retry_after("b@example.com", "10.0.0.1", t0 + seconds(40)), seconds(20));
}

TEST(LoginThrottle, WindowSlidesAsOldFailuresLeave) {
  LoginThrottle throttle(small_limits());
  throttle.record_failure("a@example.com", "10.0.0.1", t0);
  throttle.record_failure("a@example.com", "10.0.0.1", t0 + seconds(10));
  throttle.record_failure("a@example.com", "10.0.0.1", t0 + seconds(20));
  EXPECT_TRUE(throttle.retry_after("a@example.com", "10.0.0.1", t0 + seconds(59)));
  EXPECT_FALSE(throttle.retry_after("a@example.com", "10.0.0.1", t0 + seconds(60)));  // the t0 one left
  throttle.record_failure("a@example.com", "10.0.0.1", t0 + seconds(60));
  EXPECT_EQ(throttle.retry_after("a@example.com", "10.0.0.1", t0 + seconds(61)), seconds(9));  // until t0+10 leaves
  EXPECT_FALSE(throttle.retry_after("a@example.com", "10.0.0.1", t0 + seconds(70)));
}

TEST(LoginThrottle, FailuresBeyondTheLimitStillCountFromTheRightOne) {
  LoginThrottle throttle(small_limits());
  for (int i = 0; i < 6; ++i) throttle.record_failure("a@example.com", "10.0.0." + std::to_string(i), t0 + seconds(i * 5));
  // Failures at 0,5,..,25: fewer than 3 remain once the one at 15 leaves the window, at 75.
  EXPECT_EQ(throttle.retry_after("a@example.com", "10.0.0.99", t0 + seconds(30)), seconds(45));
}

TEST(LoginThrottle, SuccessClearsTheAccountButNotTheAddress) {
  LoginThrottle throttle(small_limits());
  for (int i = 0; i < 3; ++i) throttle.record_failure("a@example.com", "10.0.0.1", t0);
  for (int i = 0; i < 2; ++i) throttle.record_failure("b@example.com", "10.0.0.1", t0);
  throttle.record_success("a@example.com");
  EXPECT_FALSE(throttle.retry_after("a@example.com", "10.0.0.2", t0 + seconds(1)));
  EXPECT_TRUE(throttle.retry_after("c@example.com", "10.0.0.1", t0 + seconds(1)));  // 5 from this address
}

TEST(LoginThrottle, AnotherAccountsSuccessDoesNotClear) {
  LoginThrottle throttle(small_limits());
  for (int i = 0; i < 3; ++i) throttle.record_failure("a@example.com", "10.0.0.1", t0);
  throttle.record_success("b@example.com");
  EXPECT_TRUE(throttle.retry_after("a@example.com", "10.0.0.2", t0 + seconds(1)));
}

// The heap in use: glibc's figure, or under ASan/TSan (script/test --sanitize), which replace
// malloc and leave glibc's arenas empty, the sanitizer allocator's own.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
extern "C" size_t __sanitizer_get_current_allocated_bytes();  // <sanitizer/allocator_interface.h>, not in gcc's
size_t heap_in_use() { return __sanitizer_get_current_allocated_bytes(); }
#else
size_t heap_in_use() { return mallinfo2().uordblks; }
#endif

TEST(LoginThrottle, MemoryOfExpiredFailuresIsFreed) {
  constexpr int kKeys = 5000;
  LoginThrottle throttle(small_limits());
  const size_t before = heap_in_use();
  for (int i = 0; i < kKeys; ++i) {
    const std::string n = std::to_string(i);
    throttle.record_failure("account-number-" + n + "@example.com", "192.168.100." + n, t0);
  }
  const size_t filled = heap_in_use();
  ASSERT_GT(filled, before + kKeys * 100) << "failures take no memory?";
  // A failure one window later prunes every key whose failures all left the window.
  throttle.record_failure("late@example.com", "10.0.0.1", t0 + seconds(61));
  const size_t pruned = heap_in_use();
  EXPECT_LT(pruned - before, (filled - before) / 4) << "before " << before << ", filled " << filled << ", pruned " << pruned;
  EXPECT_FALSE(throttle.retry_after("account-number-1@example.com", "192.168.100.1", t0 + seconds(62)));
}

}  // namespace
}  // namespace latchkey::throttle
