// Tests of the two tiers the auth plugin builds from HashExecutor: a queue whose threads keep
// normal priority (idle_priority = false), and run_and_wait, through which the Hasher runs each
// Argon2 computation on an idle-priority thread while its caller waits.
#include "password/hash_executor.h"
#include "password/hasher.h"

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "test_parameters.h"

namespace latchkey::password {
namespace {

using namespace std::chrono_literals;

struct ThreadSeen {
  std::thread::id id;
  int policy = -1;
  int nice = -100;
};

ThreadSeen this_thread_seen() {
  return {std::this_thread::get_id(), sched_getscheduler(0), getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()))};
}

TEST(HashComputation, QueueThreadsKeepTheCreatorsPriorityWhenAskedTo) {
  HashExecutor queue({.threads = 1, .max_queue_wait = 60s, .idle_priority = false});
  std::promise<ThreadSeen> seen;
  ASSERT_FALSE(queue.submit([&](JobStart) { seen.set_value(this_thread_seen()); }));
  const ThreadSeen job = seen.get_future().get();
  const ThreadSeen own = this_thread_seen();
  EXPECT_NE(job.id, own.id);
  EXPECT_EQ(job.policy, own.policy);
  EXPECT_EQ(job.nice, own.nice);
  EXPECT_EQ(queue.priority(), "normal");
}

// Admission after ten jobs that answered at once: with a floor, the queue still counts each job as
// 100 ms and refuses the third one behind a busy thread; without, it would count them as ~0.
void expect_third_refused_after_quick_jobs(std::chrono::milliseconds floor, bool refused) {
  HashExecutor queue({.threads = 1, .max_queue_wait = 250ms, .initial_job_estimate = 100ms,
                      .idle_priority = false, .min_job_estimate = floor});
  for (int i = 0; i < 10; ++i) run_and_wait(queue, [] {});
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> holding;
  ASSERT_FALSE(queue.submit([&, released](JobStart) {
    holding.set_value();
    released.wait();
  }));
  holding.get_future().wait();
  EXPECT_FALSE(queue.submit([](JobStart) {}));
  EXPECT_FALSE(queue.submit([](JobStart) {}));
  EXPECT_EQ(queue.submit([](JobStart) {}).has_value(), refused);
  release.set_value();
}

TEST(HashComputation, QuickJobsDoNotMakeTheQueueLookEmptierThanItsFloor) {
  expect_third_refused_after_quick_jobs(100ms, true);
  expect_third_refused_after_quick_jobs(0ms, false);  // the flood the floor prevents
}

TEST(HashComputation, RunAndWaitRunsOnAnIdleThreadAndReturnsAfterIt) {
  HashExecutor threads({.threads = 1, .max_queue_wait = 60s});
  ThreadSeen job;
  std::atomic<bool> finished{false};
  run_and_wait(threads, [&] {
    std::this_thread::sleep_for(20ms);  // returning before the work ended would show below
    job = this_thread_seen();
    finished = true;
  });
  EXPECT_TRUE(finished.load());
  EXPECT_NE(job.id, std::this_thread::get_id());
  if (threads.priority() == "SCHED_IDLE") EXPECT_EQ(job.policy, SCHED_IDLE);
  else EXPECT_EQ(job.nice, 19);
}

TEST(HashComputation, RunAndWaitRethrowsWhatTheWorkThrew) {
  HashExecutor threads({.threads = 1, .max_queue_wait = 60s});
  EXPECT_THROW(run_and_wait(threads, [] { throw std::runtime_error("argon2 failed"); }), std::runtime_error);
  int ran = 0;
  run_and_wait(threads, [&] { ++ran; });  // the thread survived
  EXPECT_EQ(ran, 1);
}

TEST(HashComputation, RunAndWaitRunsRefusedWorkOnTheCallingThread) {
  // A deadline of 1 ms with a slow estimate: every submission while the one thread is busy is refused.
  HashExecutor threads({.threads = 1, .max_queue_wait = 1ms, .initial_job_estimate = 1000ms});
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> holding;
  ASSERT_FALSE(threads.submit([&, released](JobStart) {
    holding.set_value();
    released.wait();
  }));
  holding.get_future().wait();
  std::thread::id ran_on;
  run_and_wait(threads, [&] { ran_on = std::this_thread::get_id(); });
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  release.set_value();
}

TEST(HashComputation, HasherRunsEveryComputationThroughItsRunnerWithinItsBound) {
  HashExecutor threads({.threads = 2, .max_queue_wait = 60s});
  Hasher hasher(testing::fast_parameters, 2);
  std::atomic<int> through_runner{0};
  hasher.run_computations_with([&](const std::function<void()>& work) {
    ++through_runner;
    run_and_wait(threads, work);
  });
  const std::string encoded = hasher.hash("correct horse");
  EXPECT_TRUE(hasher.verify("correct horse", encoded));
  EXPECT_FALSE(hasher.verify("wrong horse", encoded));
  EXPECT_FALSE(hasher.verify_dummy("anything"));
  EXPECT_EQ(through_runner.load(), 4);

  // Eight callers at once: the runner's two idle threads, and the hasher's two slots, bound them.
  std::vector<std::future<bool>> callers;
  for (int i = 0; i < 8; ++i) {
    callers.push_back(std::async(std::launch::async, [&] { return hasher.verify("correct horse", encoded); }));
  }
  for (auto& caller : callers) EXPECT_TRUE(caller.get());
  EXPECT_LE(hasher.stats().peak_in_flight, 2u);
  EXPECT_LE(threads.stats().peak_running, 2u);
  EXPECT_EQ(through_runner.load(), 12);
}

}  // namespace
}  // namespace latchkey::password
