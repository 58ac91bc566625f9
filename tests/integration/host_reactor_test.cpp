// THE REACTOR TEST (issue 2): handlers run on the worker pool, never on Pistache's reactor, so
// requests sleeping in one handler never hold up requests to another route.
#include "host_test_support.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

namespace latchkey::test {
namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

class HostReactor : public HostTest {};

TEST_F(HostReactor, FastRequestsFinishWhileFourHandlersSleep500ms) {
  start_host(R"("threads": 8)");
  constexpr int kSleepers = 4;
  constexpr int kFastThreads = 5;
  constexpr int kFastPerThread = 10;  // 50 fast requests in all

  // 1. Four requests sit in a handler that sleeps 500 ms.
  const Clock::time_point sleepers_sent = Clock::now();
  std::vector<Clock::time_point> sleeper_done(kSleepers);
  std::vector<long> sleeper_status(kSleepers);
  std::vector<std::thread> sleepers;
  for (int i = 0; i < kSleepers; ++i) {
    sleepers.emplace_back([&, i] {
      HttpClient client;
      sleeper_status[i] = client.get(url("/test/sleep?ms=500")).status;
      sleeper_done[i] = Clock::now();
    });
  }
  // Wait until all four are inside the handler (observed through the host itself).
  ASSERT_TRUE(wait_until([&] { return sleeping_now(http, host) == kSleepers; }, 2s))
      << "the sleepers never all reached the handler";
  const Clock::time_point fast_start = Clock::now();

  // 2. Fifty requests to another route, from several threads.
  std::vector<double> latencies_ms;
  std::vector<Clock::time_point> fast_done;
  std::mutex results_mutex;
  std::atomic<int> fast_ok{0};
  std::vector<std::thread> fast;
  for (int t = 0; t < kFastThreads; ++t) {
    fast.emplace_back([&] {
      HttpClient client;
      for (int i = 0; i < kFastPerThread; ++i) {
        const Clock::time_point sent = Clock::now();
        const HttpResult result = client.get(url("/test/fast"));
        const Clock::time_point done = Clock::now();
        if (result.status == 200) ++fast_ok;
        std::lock_guard lock(results_mutex);
        latencies_ms.push_back(ms_between(sent, done));
        fast_done.push_back(done);
      }
    });
  }
  for (std::thread& t : fast) t.join();
  const Clock::time_point fast_end = Clock::now();
  for (std::thread& t : sleepers) t.join();

  const Clock::time_point first_sleeper_done = *std::min_element(sleeper_done.begin(), sleeper_done.end());
  const Clock::time_point last_fast_done = *std::max_element(fast_done.begin(), fast_done.end());
  const double max_latency = *std::max_element(latencies_ms.begin(), latencies_ms.end());
  std::vector<double> sorted = latencies_ms;
  std::sort(sorted.begin(), sorted.end());
  std::printf(
      "[reactor] 4 x /test/sleep?ms=500 in flight, threads: 8\n"
      "[reactor] 50 x /test/fast (5 threads x 10): total %.1f ms, max %.1f ms, median %.1f ms\n"
      "[reactor] last fast request done %.1f ms after the fast phase began; first sleeper done %.1f ms after "
      "it began (sleepers sent %.1f ms before)\n"
      "[reactor] margin: last fast done %.1f ms before the first sleeper returned\n",
      ms_between(fast_start, fast_end), max_latency, sorted[sorted.size() / 2],
      ms_between(fast_start, last_fast_done), ms_between(fast_start, first_sleeper_done),
      ms_between(sleepers_sent, fast_start), ms_between(last_fast_done, first_sleeper_done));
  std::fflush(stdout);

  for (int i = 0; i < kSleepers; ++i) EXPECT_EQ(sleeper_status[i], 200) << "sleeper " << i;
  EXPECT_GE(ms_between(sleepers_sent, first_sleeper_done), 500.0) << "the sleepers did not sleep";
  EXPECT_EQ(fast_ok.load(), kFastThreads * kFastPerThread);
  // Every fast request completed while the sleepers were still asleep...
  for (const Clock::time_point done : fast_done) EXPECT_LT(done, first_sleeper_done);
  // ...and well under the sleep each.
  EXPECT_LT(max_latency, 250.0);
}

}  // namespace
}  // namespace latchkey::test
