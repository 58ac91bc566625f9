// The worker pool: one queue, N threads; tasks are expected to catch their own exceptions.
#include "worker_pool.h"


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
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;  // the workers may have left: nobody would run it
    tasks_.push_back(std::move(task));
  }
  ready_.notify_one();
  return true;
}

bool WorkerPool::on_worker_thread() { return is_worker; }

void WorkerPool::work() {
  is_worker = true;
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
