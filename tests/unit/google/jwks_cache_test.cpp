// JwksCache: cached per max-age, one refetch for unknown kids per interval, stale keys in an outage.
#include "google/jwks_cache.h"

#include "google_test_support.h"

#include <atomic>
#include <thread>
#include <vector>

namespace latchkey::google {
namespace {

using namespace std::chrono_literals;

struct FakeProvider {
  std::string body = testing::jwks_of({testing::provider_key("g1")});
  bool up = true;
  std::optional<std::chrono::seconds> max_age = 600s;
  int fetches = 0;
  JwksFetcher fetcher() {
    return [this] {
      ++fetches;
      if (!up) return JwksDocument{false, {}, std::nullopt, "down"};
      return JwksDocument{true, body, max_age, {}};
    };
  }
};

struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  SteadyClock function() {
    return [this] { return now; };
  }
};

// Many threads ask at once for a cold cache: one fetch, the others wait for it and share its keys
// ("at most one fetch runs at a time"). Run under TSan by `script/test --sanitize thread`.
TEST(JwksCache, ConcurrentFirstLookupsShareOneFetch) {
  std::atomic<int> fetches{0};
  const std::string body = testing::jwks_of({testing::provider_key("g1")});
  JwksCache cache([&] {
    ++fetches;
    std::this_thread::sleep_for(20ms);  // a slow provider: the other threads arrive meanwhile
    return JwksDocument{true, body, 600s, {}};
  });
  std::atomic<int> misses{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        const JwksLookup lookup = cache.keys_for("g1");
        if (!lookup.keys || !lookup.keys->find("g1")) ++misses;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(misses.load(), 0);
  EXPECT_EQ(fetches.load(), 1);
}

TEST(JwksCache, FetchesOnceAndServesFromMemoryWhileFresh) {
  FakeProvider provider;
  FakeClock clock;
  JwksCache cache(provider.fetcher(), {}, clock.function());
  for (int i = 0; i < 5; ++i) ASSERT_NE(cache.keys_for("g1").keys->find("g1"), nullptr);
  EXPECT_EQ(provider.fetches, 1);
  clock.now += 599s;
  cache.keys_for("g1");
  EXPECT_EQ(provider.fetches, 1);
  clock.now += 2s;  // max-age passed
  cache.keys_for("g1");
  EXPECT_EQ(provider.fetches, 2);
}

TEST(JwksCache, UnknownKidsRefetchAtMostOncePerInterval) {
  FakeProvider provider;
  FakeClock clock;
  JwksCache cache(provider.fetcher(), {}, clock.function());
  cache.keys_for("g1");
  for (int i = 0; i < 100; ++i) EXPECT_NE(cache.keys_for("kid-" + std::to_string(i)).keys, nullptr);
  EXPECT_EQ(provider.fetches, 2);
  clock.now += 31s;
  provider.body = testing::jwks_of({testing::provider_key("g2")});  // Google rotated its keys
  EXPECT_NE(cache.keys_for("g2").keys->find("g2"), nullptr);
  EXPECT_EQ(provider.fetches, 3);
}

TEST(JwksCache, NothingCachedAndProviderDownIsUnavailableWithBackoff) {
  FakeProvider provider;
  provider.up = false;
  FakeClock clock;
  JwksCache cache(provider.fetcher(), {}, clock.function());
  EXPECT_EQ(cache.keys_for("g1").keys, nullptr);
  EXPECT_EQ(cache.keys_for("g1").keys, nullptr);
  EXPECT_EQ(provider.fetches, 1);
  provider.up = true;
  clock.now += 6s;
  EXPECT_NE(cache.keys_for("g1").keys, nullptr);
  EXPECT_EQ(provider.fetches, 2);
}

TEST(JwksCache, ExpiredKeysServeForALimitedTimeWhileTheProviderIsDown) {
  FakeProvider provider;
  FakeClock clock;
  JwksCache cache(provider.fetcher(), {}, clock.function());
  cache.keys_for("g1");
  provider.up = false;
  clock.now += 700s;
  EXPECT_NE(cache.keys_for("g1").keys, nullptr);  // stale but usable
  clock.now += 3600s;
  EXPECT_EQ(cache.keys_for("g1").keys, nullptr);
}

TEST(JwksCache, MaxAgeIsBounded) {
  FakeProvider provider;
  provider.max_age = 0s;
  FakeClock clock;
  JwksCache cache(provider.fetcher(), {}, clock.function());
  cache.keys_for("g1");
  clock.now += 59s;
  cache.keys_for("g1");
  EXPECT_EQ(provider.fetches, 1);  // min_ttl 60 s
}

TEST(JwksCache, AnUnparsableDocumentCountsAsAFailedFetch) {
  FakeProvider provider;
  provider.body = "<html>";
  FakeClock clock;
  JwksCache cache(provider.fetcher(), {}, clock.function());
  EXPECT_EQ(cache.keys_for("g1").keys, nullptr);
}

}  // namespace
}  // namespace latchkey::google
