// THE EMBEDDED REACTOR TEST (issue 12 §3): the application's Pistache endpoint with ONE reactor
// thread, Latchkey embedded with the real auth plugin on SQLite at the product's Argon2id cost.
// Four logins hash at once while fifty requests go to the application's own public route: each is
// answered well under 500 ms, because no login (handler, filter or hash) runs on the reactor.
#include "embed_test_support.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

namespace latchkey::test::embed {
namespace {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::duration<double, std::milli>;

class EmbeddedReactor : public EmbeddedApp {};

TEST_F(EmbeddedReactor, AppRouteStaysFastWhileFourLoginsHash) {
  // The default memory cost, and enough iterations that four hashes take well over 500 ms: were
  // they run on the one reactor thread, the fast requests would wait for them and fail the bound.
  // (96: libsodium's Argon2id, since issue 16, takes about 5 ms per iteration at 19 MiB here.)
  // Hashed at normal priority: what this test shows is that hashing never runs on the reactor; at
  // idle priority, a machine busy with other work (a parallel test run) starves the hashes and the
  // logins time out, which says nothing about the reactor.
  start_app(R"({"password": {"argon2_memory_kib": 19456, "argon2_iterations": 96, "hash_priority": "normal"}})", {},
            "", {"--threads", "1"});
  constexpr int kLogins = 4;
  for (int i = 0; i < kLogins; ++i) add_user("user" + std::to_string(i) + "@example.com");

  std::vector<long> login_status(kLogins);
  std::vector<Clock::time_point> login_done(kLogins);
  std::vector<std::thread> logins;
  const Clock::time_point logins_sent = Clock::now();
  for (int i = 0; i < kLogins; ++i) {
    logins.emplace_back([&, i] {
      HttpClient client(false, std::chrono::seconds(30));
      login_status[i] = client.post(url("/api/auth/login"),
                                    R"({"email":"user)" + std::to_string(i) + R"(@example.com","password":")" +
                                        kPassword + R"("})",
                                    kJson).status;
      login_done[i] = Clock::now();
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(30));  // the logins reach the hash queue

  constexpr int kThreads = 5;
  constexpr int kPerThread = 10;
  std::mutex mutex;
  std::vector<Millis> latencies;
  std::vector<Clock::time_point> fast_done;
  std::atomic<int> ok{0};
  std::vector<std::thread> fast;
  for (int t = 0; t < kThreads; ++t) {
    fast.emplace_back([&] {
      HttpClient client;
      for (int i = 0; i < kPerThread; ++i) {
        const Clock::time_point sent = Clock::now();
        const HttpResult result = client.get(url("/status"));
        const Clock::time_point done = Clock::now();
        if (result.status == 200 && result.body == R"({"status":"ok"})") ++ok;
        std::lock_guard lock(mutex);
        latencies.push_back(done - sent);
        fast_done.push_back(done);
      }
    });
  }
  for (std::thread& t : fast) t.join();
  for (std::thread& t : logins) t.join();

  const Clock::time_point last_login = *std::max_element(login_done.begin(), login_done.end());
  const Clock::time_point last_fast = *std::max_element(fast_done.begin(), fast_done.end());
  const Millis slowest = *std::max_element(latencies.begin(), latencies.end());
  std::printf("[embedded reactor] 4 logins: last answered %.1f ms after sending; 50 x /status: slowest %.1f ms, "
              "last done %.1f ms before the last login\n",
              Millis(last_login - logins_sent).count(), slowest.count(), Millis(last_login - last_fast).count());
  std::fflush(stdout);

  for (int i = 0; i < kLogins; ++i) EXPECT_EQ(login_status[i], 200) << "login " << i;
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  for (const Millis latency : latencies) EXPECT_LT(latency.count(), 500.0);
  // The fast requests really ran while logins were hashing, and the hashes took long enough to matter.
  EXPECT_LT(last_fast, last_login);
  EXPECT_GT(Millis(last_login - logins_sent).count(), 500.0);
}

TEST_F(EmbeddedReactor, AppRouteStaysFastWhileFourPluginHandlersSleep) {
  // A plugin handler that blocks (a database round trip) holds a Latchkey worker, never the reactor.
  start_app("{}", {R"({"name": "test", "path": ")" + kTestPlugin + R"(", "config": {}})"}, "", {"--threads", "1"});
  constexpr int kSleepers = 4;
  std::vector<long> sleeper_status(kSleepers);
  std::vector<Clock::time_point> sleeper_answered(kSleepers);
  std::vector<std::thread> sleepers;
  for (int i = 0; i < kSleepers; ++i) {
    sleepers.emplace_back([&, i] {
      sleeper_status[i] = HttpClient().get(url("/test/sleep?ms=2000")).status;
      sleeper_answered[i] = Clock::now();
    });
  }
  ASSERT_TRUE(wait_until([&] { return http.get(url("/test/sleeping")).body == R"({"sleeping":4})"; }, 5s));
  const Clock::time_point fast_start = Clock::now();
  Millis slowest{0};
  int ok = 0;
  for (int i = 0; i < 50; ++i) {
    const Clock::time_point sent = Clock::now();
    ok += http.get(url("/status")).status == 200;
    slowest = std::max<Millis>(slowest, Clock::now() - sent);
  }
  const Millis fast_phase = Clock::now() - fast_start;
  for (std::thread& t : sleepers) t.join();
  const Clock::time_point fast_done = fast_start + std::chrono::duration_cast<Clock::duration>(fast_phase);
  std::printf("[embedded reactor] 4 handlers asleep 2 s: 50 x /status in %.1f ms, slowest %.1f ms\n",
              fast_phase.count(), slowest.count());
  EXPECT_EQ(ok, 50);
  EXPECT_LT(slowest.count(), 500.0);
  // Not a time bound: the order. Had the sleepers held the reactor, no /status would pass them.
  EXPECT_LT(fast_done, *std::min_element(sleeper_answered.begin(), sleeper_answered.end()))
      << "the fast requests waited for the sleepers";
  for (int i = 0; i < kSleepers; ++i) EXPECT_EQ(sleeper_status[i], 200);
}

}  // namespace
}  // namespace latchkey::test::embed
