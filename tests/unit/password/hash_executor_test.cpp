// Tests of the hash executor: idle priority, FIFO order, refusal at the deadline, too-late and
// stopping starts, and never more jobs at once than threads. Jobs are held and released through
// countdowns, so no outcome depends on how fast this machine is.
#include "password/hash_executor.h"

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "password/hasher.h"
#include "test_parameters.h"

namespace latchkey::password {
namespace {

using namespace std::chrono_literals;

// A latch whose wait gives up, so that a broken executor fails a test instead of hanging it.
class Countdown {
 public:
  explicit Countdown(int count) : count_(count) {}
  void count_down() {
    {
      const std::lock_guard lock(mutex_);
      --count_;
    }
    reached_.notify_all();
  }
  [[nodiscard]] bool wait(std::chrono::seconds timeout = 30s) {
    std::unique_lock lock(mutex_);
    return reached_.wait_for(lock, timeout, [this] { return count_ <= 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable reached_;
  int count_;
};

// A job that holds its thread until released, so that later jobs queue behind it. Declared after
// the executor, it is destroyed first and releases the job, so the executor's join returns.
class Blocker {
 public:
  ~Blocker() { release(); }
  HashExecutor::Job job() const {
    return [state = state_](JobStart start) {
      state->start = start;
      state->running.count_down();
      (void)state->released.wait();
    };
  }
  [[nodiscard]] bool wait_until_running() const { return state_->running.wait(); }
  void release() const {
    if (!state_->release_once.exchange(true)) state_->released.count_down();
  }
  JobStart start() const { return state_->start; }  // once running

 private:
  struct State {
    Countdown running{1};
    Countdown released{1};
    std::atomic<bool> release_once{false};
    JobStart start{};
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

// Waits (without asserting any speed) for bookkeeping the executor does after a job returned.
bool eventually(const std::function<bool()>& condition) {
  const auto give_up = std::chrono::steady_clock::now() + 30s;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(HashExecutor, ThreadsRunAtTheLowestPriorityAllowed) {
  const int own_policy = sched_getscheduler(0);
  const int own_nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  std::mutex mutex;
  std::vector<std::pair<int, int>> seen;  // (policy, nice) of each executor thread
  Countdown both_running(2);
  Countdown both_seen(2);
  HashExecutor executor({.threads = 2, .max_queue_wait = 60s});
  for (int i = 0; i < 2; ++i) {
    ASSERT_FALSE(executor.submit([&](JobStart) {
      {
        const std::lock_guard lock(mutex);
        seen.emplace_back(sched_getscheduler(0), getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())));
      }
      both_running.count_down();
      (void)both_running.wait();  // so that the two jobs are on the two threads
      both_seen.count_down();
    }));
  }
  ASSERT_TRUE(both_seen.wait());

  const std::lock_guard lock(mutex);
  ASSERT_EQ(seen.size(), 2u);
  for (const auto& [policy, nice] : seen) {
    if (executor.priority() == "SCHED_IDLE") {
      EXPECT_EQ(policy, SCHED_IDLE);
    } else if (executor.priority() == "nice 19") {
      EXPECT_EQ(nice, 19);
    } else {
      ADD_FAILURE() << "neither SCHED_IDLE nor nice 19 was allowed: " << executor.priority();
    }
  }
  // Per thread: the caller's thread (like the host's reactor and workers) keeps its priority.
  EXPECT_EQ(sched_getscheduler(0), own_policy);
  EXPECT_EQ(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())), own_nice);
}

TEST(HashExecutor, OneThreadRunsQueuedJobsInSubmitOrder) {
  std::vector<int> order;  // written by the executor's one thread only
  std::vector<JobStart> starts;
  Countdown done(5);
  HashExecutor executor({.threads = 1, .max_queue_wait = 60s});
  Blocker blocker;
  ASSERT_FALSE(executor.submit(blocker.job()));
  ASSERT_TRUE(blocker.wait_until_running());
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(executor.submit([&, i](JobStart start) {
      order.push_back(i);
      starts.push_back(start);
      done.count_down();
    }));
  }
  EXPECT_EQ(executor.stats().queued, 5u);
  blocker.release();
  ASSERT_TRUE(done.wait());
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(starts, std::vector<JobStart>(5, JobStart::run));
}

TEST(HashExecutor, RefusesAJobWhoseExpectedWaitPassesTheDeadline) {
  HashExecutor executor({.threads = 1, .max_queue_wait = 250ms, .initial_job_estimate = 100ms});
  Blocker blocker;
  ASSERT_FALSE(executor.submit(blocker.job()));
  ASSERT_TRUE(blocker.wait_until_running());
  // Expected waits behind the blocker: 100 ms, 200 ms, then 300 ms > 250 ms.
  EXPECT_FALSE(executor.submit([](JobStart) {}));
  EXPECT_FALSE(executor.submit([](JobStart) {}));
  const std::optional<Refusal> refusal = executor.submit([](JobStart) {});
  ASSERT_TRUE(refusal);
  EXPECT_GE(refusal->retry_after, 1s);

  const HashExecutorStats stats = executor.stats();
  EXPECT_EQ(stats.submitted, 4u);
  EXPECT_EQ(stats.refused, 1u);
  EXPECT_EQ(stats.queued, 2u);
  EXPECT_EQ(stats.running, 1u);
}

TEST(HashExecutor, RetryAfterIsTheExpectedWaitRoundedUp) {
  HashExecutor executor({.threads = 1, .max_queue_wait = 2500ms, .initial_job_estimate = 1000ms});
  Blocker blocker;
  ASSERT_FALSE(executor.submit(blocker.job()));
  ASSERT_TRUE(blocker.wait_until_running());
  EXPECT_FALSE(executor.submit([](JobStart) {}));  // 1 s
  EXPECT_FALSE(executor.submit([](JobStart) {}));  // 2 s
  const std::optional<Refusal> refusal = executor.submit([](JobStart) {});  // 3 s
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->retry_after, 3s);
}

TEST(HashExecutor, JobThatWaitedPastTheDeadlineStartsTooLate) {
  JobStart late_start = JobStart::run;
  std::uint64_t too_late_counted = 0;
  Countdown late_ran(1);
  Countdown next_ran(1);
  HashExecutor executor({.threads = 1, .max_queue_wait = 50ms, .initial_job_estimate = 1ms});
  Blocker blocker;
  ASSERT_FALSE(executor.submit(blocker.job()));
  ASSERT_TRUE(blocker.wait_until_running());
  ASSERT_FALSE(executor.submit([&](JobStart start) {
    late_start = start;
    late_ran.count_down();
  }));
  std::this_thread::sleep_for(100ms);  // the blocker holds the thread past the queued job's deadline
  blocker.release();
  ASSERT_TRUE(late_ran.wait());
  EXPECT_EQ(late_start, JobStart::too_late);

  // One thread: the late job has been counted before the next one starts.
  ASSERT_FALSE(executor.submit([&](JobStart) {
    too_late_counted = executor.stats().too_late;
    next_ran.count_down();
  }));
  ASSERT_TRUE(next_ran.wait());
  EXPECT_EQ(too_late_counted, 1u);
}

TEST(HashExecutor, DestructionCallsEveryQueuedJobWithStoppingOnce) {
  std::array<std::atomic<int>, 3> calls{};
  std::array<std::atomic<int>, 3> stopping_calls{};
  Countdown all_called(3);
  Blocker blocker;  // before the executor: released by hand while the destructor runs
  auto executor = std::make_unique<HashExecutor>(HashExecutorOptions{.threads = 1, .max_queue_wait = 60s});
  ASSERT_FALSE(executor->submit(blocker.job()));
  ASSERT_TRUE(blocker.wait_until_running());
  for (int i = 0; i < 3; ++i) {
    ASSERT_FALSE(executor->submit([&, i](JobStart start) {
      ++calls[i];
      if (start == JobStart::stopping) ++stopping_calls[i];
      all_called.count_down();
    }));
  }

  std::thread destroyer([&] { executor.reset(); });
  // The queued jobs are answered at once, while the blocker still holds the only thread.
  const bool answered_while_busy = all_called.wait();
  blocker.release();
  destroyer.join();

  EXPECT_TRUE(answered_while_busy);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(calls[i], 1) << "job " << i;
    EXPECT_EQ(stopping_calls[i], 1) << "job " << i;
  }
  EXPECT_EQ(blocker.start(), JobStart::run);
}

TEST(HashExecutor, NeverRunsMoreJobsThanThreads) {
  constexpr int jobs = 20;
  const Hasher hasher(testing::fast_parameters, 8);  // its own bound above the executor's
  std::mutex mutex;
  std::condition_variable joined;
  unsigned in_flight = 0;
  unsigned peak = 0;
  std::atomic<int> verified{0};
  Countdown done(jobs);
  HashExecutor executor({.threads = 2, .max_queue_wait = 60s, .initial_job_estimate = 1ms});
  for (int i = 0; i < jobs; ++i) {
    ASSERT_FALSE(executor.submit([&](JobStart start) {
      {
        std::unique_lock lock(mutex);
        peak = std::max(peak, ++in_flight);
        joined.notify_all();
        // Gives a broken bound the time to start a third job; a correct one never does.
        joined.wait_for(lock, 10ms, [&] { return in_flight > 2; });
      }
      if (start == JobStart::run && hasher.verify("storm password", hasher.hash("storm password"))) ++verified;
      const std::lock_guard lock(mutex);
      --in_flight;
      done.count_down();
    }));
  }
  ASSERT_TRUE(done.wait(60s));
  {
    const std::lock_guard lock(mutex);
    EXPECT_GE(peak, 1u);
    EXPECT_LE(peak, 2u);
  }
  EXPECT_EQ(verified.load(), jobs);
  EXPECT_TRUE(eventually([&] { return executor.stats().completed == jobs; })) << executor.stats().completed;
  EXPECT_LE(executor.stats().peak_running, 2u);
  EXPECT_EQ(executor.stats().refused, 0u);
}

TEST(HashExecutor, ThreadSurvivesAJobThatThrows) {
  std::uint64_t completed_before = 0;
  Countdown later_ran(1);
  HashExecutor executor({.threads = 1, .max_queue_wait = 60s});
  ASSERT_FALSE(executor.submit([](JobStart) { throw std::runtime_error("hash failed"); }));
  ASSERT_FALSE(executor.submit([&](JobStart) {
    completed_before = executor.stats().completed;
    later_ran.count_down();
  }));
  ASSERT_TRUE(later_ran.wait());
  EXPECT_EQ(completed_before, 1u);  // the job that threw counts as completed
}

TEST(HashExecutor, RejectsZeroThreadsAndZeroWait) {
  EXPECT_THROW((HashExecutor(HashExecutorOptions{.threads = 0})), std::invalid_argument);
  EXPECT_THROW((HashExecutor(HashExecutorOptions{.threads = 1, .max_queue_wait = 0ms})), std::invalid_argument);
}

}  // namespace
}  // namespace latchkey::password
