// The worker pool: one queue, N threads; tasks are expected to catch their own exceptions.
#include "worker_pool.h"


namespace latchkey::host {

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

void WorkerPool::submit(std::function<void()> task) {
  // Notified under the lock: once it is released, the submitting thread (perhaps a plugin's,
  // completing a request during shutdown) touches the pool no more.
  std::lock_guard lock(mutex_);
  tasks_.push_back(std::move(task));
  ready_.notify_one();
}

void WorkerPool::work() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, and nothing left to run
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

}  // namespace latchkey::host
