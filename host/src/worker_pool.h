// A fixed pool of worker threads: plugin handlers and filters run here, never on the reactor.
#pragma once

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

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace latchkey::host
