// Unit tests of host/src/worker_pool.cpp: every task runs once, off the submitting thread, several
// at a time; the destructor runs what is queued and joins. Run under TSan by `script/test
// --sanitize thread`: many submitters and workers share the queue here.
#include "worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace latchkey::host {
namespace {

using namespace std::chrono_literals;

TEST(WorkerPool, RunsEveryTaskOnceFromManySubmitters) {
  constexpr int submitters = 4;
  constexpr int per_submitter = 500;
  std::vector<int> runs(submitters * per_submitter, 0);  // each slot written by its one task only
  std::atomic<int> done{0};
  {
    WorkerPool pool(3);
    std::vector<std::thread> threads;
    for (int s = 0; s < submitters; ++s) {
      threads.emplace_back([&, s] {
        for (int i = 0; i < per_submitter; ++i) {
          pool.submit([&runs, &done, slot = s * per_submitter + i] {
            ++runs[slot];
            done.fetch_add(1, std::memory_order_relaxed);
          });
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
  }  // joins: every task has run, and its writes are visible here
  EXPECT_EQ(done.load(), submitters * per_submitter);
  for (int count : runs) ASSERT_EQ(count, 1);
}

TEST(WorkerPool, RunsTasksOffTheSubmittingThreadAndConcurrently) {
  constexpr unsigned threads = 3;
  std::mutex mutex;
  std::set<std::thread::id> seen;
  std::atomic<unsigned> waiting{0};
  std::promise<void> all_in;
  std::shared_future<void> released = all_in.get_future().share();
  std::atomic<bool> all_met{true};
  {
    WorkerPool pool(threads);
    for (unsigned i = 0; i < threads; ++i) {
      pool.submit([&] {
        {
          std::lock_guard lock(mutex);
          seen.insert(std::this_thread::get_id());
        }
        // Every task waits for the others: this only ends if `threads` tasks run at once.
        if (waiting.fetch_add(1) + 1 == threads) all_in.set_value();
        if (released.wait_for(10s) != std::future_status::ready) all_met = false;
      });
    }
  }
  EXPECT_TRUE(all_met.load());
  EXPECT_EQ(seen.size(), threads);
  EXPECT_EQ(seen.count(std::this_thread::get_id()), 0u);
}

TEST(WorkerPool, DestructorRunsWhatIsQueuedThenJoins) {
  std::atomic<int> ran{0};
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  auto pool = std::make_unique<WorkerPool>(1);
  pool->submit([open] { open.wait(); });  // holds the only worker while the others queue up
  for (int i = 0; i < 50; ++i) pool->submit([&ran] { ran.fetch_add(1); });
  std::thread opener([&gate] {
    std::this_thread::sleep_for(20ms);
    gate.set_value();
  });
  pool.reset();
  opener.join();
  EXPECT_EQ(ran.load(), 50);
}

TEST(WorkerPool, TasksMaySubmitMoreTasks) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(2);
    for (int i = 0; i < 20; ++i) {
      pool.submit([&pool, &ran] {
        ran.fetch_add(1);
        pool.submit([&ran] { ran.fetch_add(1); });
      });
    }
    // Give the chained tasks a moment to be queued before the destructor stops the pool;
    // the destructor then runs whatever is still queued.
    for (int waited = 0; ran.load() < 40 && waited < 500; ++waited) std::this_thread::sleep_for(1ms);
  }
  EXPECT_EQ(ran.load(), 40);
}

// Workers that just finished a task spin for a moment instead of sleeping, and a submit wakes a
// sleeper only for tasks beyond what the spinners will take. Tasks that can only finish together
// (each waits for all the others to start) prove no spinner swallows two tasks while a sleeper
// stays asleep: with that fault, a round would wait its full 10 s and fail.
TEST(WorkerPool, TasksThatNeedEachOtherRunTogetherAfterSpinningWorkers) {
  constexpr int workers = 4;
  WorkerPool pool(workers);
  for (int round = 0; round < 200; ++round) {
    // Every worker asleep, then one woken for a task that returns at once: it spins while the
    // others sleep, which is when a submit must still wake sleepers for what the spinner cannot take.
    std::this_thread::sleep_for(1ms);
    std::promise<void> quick;
    pool.submit([&quick] { quick.set_value(); });
    quick.get_future().wait();
    std::mutex mutex;
    std::condition_variable changed;
    int started = 0;
    int finished = 0;
    bool all_met = true;
    for (int i = 0; i < workers; ++i) {
      pool.submit([&] {
        std::unique_lock lock(mutex);
        ++started;
        changed.notify_all();
        if (!changed.wait_for(lock, 10s, [&] { return started == workers; })) all_met = false;
        ++finished;
        changed.notify_all();
      });
    }
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return finished == workers; });
    ASSERT_TRUE(all_met) << "round " << round << ": a task waited for a worker that was never woken";
  }
}

}  // namespace
}  // namespace latchkey::host
