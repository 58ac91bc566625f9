// The bound on concurrent hashes: callers beyond it wait, and never more than `slots` run at once.
#include "password/concurrency_limit.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>
#include <vector>

namespace latchkey::password {
namespace {

// Holds one slot on its own thread until release() (Slot cannot move between threads).
class Holder {
 public:
  explicit Holder(ConcurrencyLimit& limit)
      : done_(std::async(std::launch::async, [this, &limit] {
          const auto slot = limit.acquire();
          holding_.set_value();
          release_.get_future().wait();
        })) {
    holding_future_.wait();
  }
  void release() {
    release_.set_value();
    done_.get();
  }

 private:
  std::promise<void> holding_;
  std::future<void> holding_future_ = holding_.get_future();
  std::promise<void> release_;
  std::future<void> done_;
};

bool wait_until_admitted(const ConcurrencyLimit& limit, unsigned count) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (limit.admitted() < count && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return limit.admitted() == count;
}

TEST(PasswordConcurrencyLimit, CallersBeyondTheSlotsWaitTheirTurn) {
  ConcurrencyLimit limit(1);
  Holder holder(limit);
  std::vector<std::future<void>> waiters;
  for (int i = 0; i < 8; ++i) waiters.push_back(std::async(std::launch::async, [&] { (void)limit.acquire(); }));
  ASSERT_TRUE(wait_until_admitted(limit, 9));  // one holding, eight waiting: none refused
  holder.release();
  for (auto& waiter : waiters) EXPECT_NO_THROW(waiter.get());
  EXPECT_EQ(limit.peak_in_flight(), 1u);
}

}  // namespace
}  // namespace latchkey::password
