// The bound on waiting hash requests: as many may wait as configured, the next is refused at once.
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

TEST(PasswordConcurrencyLimit, RefusesACallerBeyondTheWaitingBoundAtOnce) {
  ConcurrencyLimit limit(1, 1);
  Holder holder(limit);  // the one slot
  auto waiter = std::async(std::launch::async, [&] { (void)limit.acquire(); });  // the one waiter
  ASSERT_TRUE(wait_until_admitted(limit, 2));
  EXPECT_TRUE(limit.saturated());
  EXPECT_THROW((void)limit.acquire(), Busy);  // a third caller: refused, not queued

  holder.release();  // the waiter gets the slot, uses it, gives it back
  EXPECT_NO_THROW(waiter.get());
  EXPECT_TRUE(wait_until_admitted(limit, 0));
  EXPECT_FALSE(limit.saturated());
  EXPECT_NO_THROW((void)limit.acquire());
  EXPECT_EQ(limit.peak_in_flight(), 1u);
}

TEST(PasswordConcurrencyLimit, WaitsWithoutBoundByDefault) {
  ConcurrencyLimit limit(1);
  Holder holder(limit);
  std::vector<std::future<void>> waiters;
  for (int i = 0; i < 8; ++i) waiters.push_back(std::async(std::launch::async, [&] { (void)limit.acquire(); }));
  ASSERT_TRUE(wait_until_admitted(limit, 9));
  EXPECT_FALSE(limit.saturated());
  holder.release();
  for (auto& waiter : waiters) EXPECT_NO_THROW(waiter.get());
  EXPECT_EQ(limit.peak_in_flight(), 1u);
}

}  // namespace
}  // namespace latchkey::password
