// Runs password hashes on its own threads at the lowest scheduling priority, so that the host's
// reactor and workers always preempt hashing, with a FIFO queue whose wait has a deadline.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <latch>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

namespace latchkey::password {

struct HashExecutorOptions {
  unsigned threads = 1;                                // >= 1 (the owner passes max_concurrent_hashes)
  std::chrono::milliseconds max_queue_wait{2000};      // the deadline of a queued job, > 0
  std::chrono::milliseconds initial_job_estimate{50};  // expected job time until jobs have been timed
  bool idle_priority = true;  // false: the threads keep their creator's priority (a queue in front of
                              // the work that touches shared locks, such as the database's)
  // The least a job counts as in the average: jobs that answer early (a 400, a 429) must not make
  // the queue look emptier than its hashes, or admission would let a flood in.
  std::chrono::milliseconds min_job_estimate{0};
};

// How a job starts. too_late: it waited past max_queue_wait (answer "busy" without hashing);
// stopping: the executor is being destroyed (answer without hashing).
enum class JobStart { run, too_late, stopping };

// A job not queued: its expected wait would pass max_queue_wait.
struct Refusal {
  std::chrono::seconds retry_after;  // >= 1 s, the expected wait rounded up
};

struct HashExecutorStats {
  std::uint64_t submitted = 0;  // every call of submit, refused ones included
  std::uint64_t refused = 0;
  std::uint64_t too_late = 0;
  std::uint64_t completed = 0;  // ran with JobStart::run (returned or threw)
  unsigned queued = 0;
  unsigned running = 0;
  unsigned peak_running = 0;  // never above threads: at most threads × m of Argon2 memory
};

// Thread-safe: submit and stats may be called from any thread, also from inside a job.
class HashExecutor {
 public:
  using Job = std::function<void(JobStart)>;

  // Starts the threads and returns once each has lowered its priority. Throws
  // std::invalid_argument for threads == 0, a max_queue_wait <= 0 or a negative estimate.
  explicit HashExecutor(HashExecutorOptions options);
  // Stops accepting, calls every job still queued with JobStart::stopping on the calling thread
  // (at once, without waiting for the running ones, so each caller can answer), then joins.
  ~HashExecutor();
  HashExecutor(const HashExecutor&) = delete;
  HashExecutor& operator=(const HashExecutor&) = delete;

  // Queues job (FIFO) unless its expected wait would pass max_queue_wait, or the executor is
  // stopping: then returns the refusal and drops the job. Expected wait: 0 while a thread is free,
  // else (jobs waiting for a thread + 1) / threads × the moving average of measured job times.
  // A queued job is called exactly once, on one of the executor's threads (or the destructor's),
  // and destroyed right after.
  std::optional<Refusal> submit(Job job);

  HashExecutorStats stats() const;

  // What a caller refused now, or answered too_late, should wait before trying again: the
  // expected wait of a job queued now, rounded up, at least 1 s.
  std::chrono::seconds retry_after() const;

  // How the threads were lowered: "SCHED_IDLE", "nice 19", "unchanged" (both were refused), or
  // "normal" (idle_priority was false).
  std::string_view priority() const;

 private:
  enum class Priority { idle, nice, unchanged };  // ordered best to worst
  struct Queued {
    Job job;
    std::chrono::steady_clock::time_point submitted;
  };

  static Priority lower_this_thread();
  void work(std::latch& started);
  void stop_and_join();
  std::chrono::duration<double> expected_wait() const;  // with mutex_ held

  const HashExecutorOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Queued> queue_;
  bool stopping_ = false;
  Priority priority_ = Priority::idle;  // the worst any thread got
  std::chrono::duration<double> average_job_;  // moving average of the jobs that ran
  HashExecutorStats stats_;
  std::vector<std::thread> threads_;
};

// Runs work on one of executor's threads and returns once it ran, rethrowing what it threw. Runs it
// on the calling thread instead when the executor refuses it (stopping, or its deadline), so work
// always runs exactly once. Never call it from one of executor's own threads: with every thread
// waiting so, nobody would run the work.
void run_and_wait(HashExecutor& executor, const std::function<void()>& work);

}  // namespace latchkey::password
