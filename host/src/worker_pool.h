// A fixed pool of worker threads: plugin handlers and filters run here, never on the reactor. A
// worker that finished a task looks for the next one for 50 µs (yielding the core) before it
// sleeps: under load the next request is usually there by then, and taking it costs no wake-up.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace latchkey::host {

class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads);
  ~WorkerPool();  // runs what is queued, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues task; false (and task dropped) once the pool is being destroyed.
  bool submit(std::function<void()> task);

  // Tasks waiting for a worker.
  size_t queued();

  // Whether the calling thread is a worker of any pool (so waiting there for a task could deadlock).
  static bool on_worker_thread();

 private:
  void work();
  // After its task, a worker looks for the next one for a moment before it sleeps.
  bool spin_for_task();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  int spinning_ = 0;                 // workers looking for a task without sleeping (under mutex_)
  std::atomic<size_t> queued_{0};    // tasks_.size(), readable without the mutex
  std::vector<std::thread> threads_;
};

}  // namespace latchkey::host
