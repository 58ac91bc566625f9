// Tests of the hasher's concurrency bound: a storm of callers queues, never exceeding N at once.
#include "password/hasher.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace latchkey::password {
namespace {

// Large enough that an unbounded hasher would overlap computations across threads.
constexpr Parameters storm_parameters{1024, 1, 1};
constexpr int threads = 6;
constexpr int rounds = 4;

void storm(const Hasher& hasher) {
  const auto encoded = hasher.hash("storm password");
  std::vector<std::jthread> callers;
  for (int i = 0; i < threads; ++i) {
    callers.emplace_back([&hasher, &encoded, i] {
      for (int r = 0; r < rounds; ++r) {
        switch ((i + r) % 3) {
          case 0: (void)hasher.hash("storm password"); break;
          case 1: EXPECT_TRUE(hasher.verify("storm password", encoded)); break;
          default: EXPECT_FALSE(hasher.verify_dummy("storm password")); break;
        }
      }
    });
  }
}

TEST(PasswordHasherConcurrency, OneSlotNeverRunsTwoComputationsAtOnce) {
  const Hasher hasher(storm_parameters, 1);
  storm(hasher);  // the jthreads have joined when storm returns
  const auto stats = hasher.stats();
  EXPECT_EQ(stats.computations, 1u + threads * rounds);
  EXPECT_EQ(stats.peak_in_flight, 1u);
}

TEST(PasswordHasherConcurrency, TwoSlotsNeverRunMoreThanTwo) {
  const Hasher hasher(storm_parameters, 2);
  storm(hasher);
  const auto stats = hasher.stats();
  EXPECT_EQ(stats.computations, 1u + threads * rounds);
  EXPECT_GE(stats.peak_in_flight, 1u);
  EXPECT_LE(stats.peak_in_flight, 2u);
}

}  // namespace
}  // namespace latchkey::password
