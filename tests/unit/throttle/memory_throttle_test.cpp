// MemoryThrottle: attempts counted up front, success forgiven, and a limit per address only.
#include "throttle/memory_throttle.h"

#include <gtest/gtest.h>

namespace latchkey::throttle {
namespace {

using std::chrono::seconds;

struct Fixture {
  LoginThrottle::TimePoint now = LoginThrottle::TimePoint{} + std::chrono::hours(1000);
  MemoryThrottle make(Limits limits) {
    return MemoryThrottle(limits, [this] { return now; });
  }
};

TEST(MemoryThrottle, TheAttemptAfterTheLimitWaitsForTheWindow) {
  Fixture f;
  MemoryThrottle throttle = f.make({"login", 60, 3, 100});
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(throttle.count("a@example.com", "10.0.0.1")) << i;
  f.now += seconds(10);
  const auto wait = throttle.count("a@example.com", "10.0.0.2");
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, seconds(50));
}

TEST(MemoryThrottle, SuccessClearsTheAccountAndIsNotCountedForTheAddress) {
  Fixture f;
  MemoryThrottle throttle = f.make({"login", 60, 2, 2});
  EXPECT_FALSE(throttle.count("a@example.com", "10.0.0.1"));
  throttle.succeeded("a@example.com", "10.0.0.1");
  EXPECT_FALSE(throttle.count("b@example.com", "10.0.0.1"));
  EXPECT_FALSE(throttle.count("c@example.com", "10.0.0.1"));
  EXPECT_TRUE(throttle.count("d@example.com", "10.0.0.1")) << "two failures from the address, the success not counted";
}

TEST(MemoryThrottle, AWithdrawnAttemptCountsForNeitherKey) {
  Fixture f;
  MemoryThrottle throttle = f.make({"login", 60, 1, 1});
  EXPECT_FALSE(throttle.count("a@example.com", "10.0.0.1"));
  throttle.withdraw("a@example.com", "10.0.0.1");
  EXPECT_FALSE(throttle.count("a@example.com", "10.0.0.1"));
  EXPECT_TRUE(throttle.count("a@example.com", "10.0.0.2"));
  EXPECT_TRUE(throttle.count("b@example.com", "10.0.0.1"));
}

TEST(MemoryThrottle, WithoutAPerAccountLimitOnlyTheAddressCounts) {
  Fixture f;
  MemoryThrottle throttle = f.make({"nonce", 60, 0, 2});
  EXPECT_FALSE(throttle.count("10.0.0.1", "10.0.0.1"));
  EXPECT_FALSE(throttle.count("10.0.0.1", "10.0.0.1"));
  EXPECT_TRUE(throttle.count("10.0.0.1", "10.0.0.1"));
  EXPECT_FALSE(throttle.count("10.0.0.2", "10.0.0.2"));
}

}  // namespace
}  // namespace latchkey::throttle
