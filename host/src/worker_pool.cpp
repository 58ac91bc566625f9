// The worker pool: one queue, N threads, spinning briefly before sleeping; tasks are expected to
// catch their own exceptions.
#include "worker_pool.h"

#include <chrono>

namespace latchkey::host {
namespace {

thread_local bool is_worker = false;

}  // namespace

WorkerPool::WorkerPool(unsigned threads) {
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

size_t WorkerPool::queued() {
  std::lock_guard lock(mutex_);
  return tasks_.size();
}

bool WorkerPool::submit(std::function<void()> task) {
  bool wake;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;  // the workers may have left: nobody would run it
    tasks_.push_back(std::move(task));
    queued_.store(tasks_.size(), std::memory_order_release);
    // A spinning worker takes it without a wake-up (a futex call and a context switch, which cost
    // more than the rest of a small request). A sleeper is woken only for tasks beyond what the
    // spinners will take; a spinner decides to sleep only under the mutex, after looking at the
    // queue once more, so no task is left behind.
    wake = tasks_.size() > static_cast<size_t>(spinning_);
  }
  if (wake) ready_.notify_one();
  return true;
}

bool WorkerPool::spin_for_task() {
  constexpr auto kSpin = std::chrono::microseconds(50);
  const auto until = std::chrono::steady_clock::now() + kSpin;
  do {
    if (queued_.load(std::memory_order_acquire) > 0) return true;
    std::this_thread::yield();  // on a busy core, the reactor runs meanwhile
  } while (std::chrono::steady_clock::now() < until);
  return false;
}

bool WorkerPool::on_worker_thread() { return is_worker; }

void WorkerPool::work() {
  is_worker = true;
  bool spun = false;
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      if (spun) --spinning_;
      if (tasks_.empty() && !stopping_ && !spun) {
        ++spinning_;
        lock.unlock();
        spin_for_task();
        spun = true;
        continue;
      }
      spun = false;
      ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, and nothing left to run
      task = std::move(tasks_.front());
      tasks_.pop_front();
      queued_.store(tasks_.size(), std::memory_order_relaxed);
    }
    task();
  }
}

}  // namespace latchkey::host
