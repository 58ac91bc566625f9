// Threads at idle priority taking password hashes from a FIFO queue whose wait has a deadline
// (see hash_executor.h).
#include "password/hash_executor.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <exception>
#include <future>
#include <stdexcept>

namespace latchkey::password {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Weight of the newest job in the moving average of job times: the load or the parameters may
// change, so recent jobs count most, yet one odd job does not swing admission.
constexpr double kNewestJobWeight = 0.2;

// Calls job, then destroys it at once (it holds request data). An exception would end the thread
// and with it every later hash, so it is swallowed: answering is the job's business.
void run(HashExecutor::Job job, JobStart start) noexcept {
  try {
    job(start);
  } catch (...) {
  }
}

}  // namespace

HashExecutor::HashExecutor(HashExecutorOptions options)
    : options_(options), average_job_(options.initial_job_estimate) {
  if (options_.threads == 0) throw std::invalid_argument("HashExecutor: threads must be at least 1");
  if (options_.max_queue_wait <= 0ms) throw std::invalid_argument("HashExecutor: max_queue_wait must be positive");
  if (options_.initial_job_estimate < 0ms)
    throw std::invalid_argument("HashExecutor: initial_job_estimate must not be negative");
  std::latch started(options_.threads);
  threads_.reserve(options_.threads);
  try {
    for (unsigned i = 0; i < options_.threads; ++i) threads_.emplace_back([this, &started] { work(started); });
  } catch (...) {
    stop_and_join();  // the threads already started use `started`, which ends with this scope
    throw;
  }
  started.wait();  // so that priority() tells what every thread got
}

HashExecutor::~HashExecutor() { stop_and_join(); }

void HashExecutor::stop_and_join() {
  std::deque<Queued> left;
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    left.swap(queue_);
  }
  wake_.notify_all();
  // Here rather than on the executor's threads, which may be busy hashing for a while yet.
  for (Queued& queued : left) run(std::move(queued.job), JobStart::stopping);
  for (std::thread& thread : threads_) thread.join();
}

std::optional<Refusal> HashExecutor::submit(Job job) {
  {
    const std::lock_guard lock(mutex_);
    ++stats_.submitted;
    if (stopping_) {
      ++stats_.refused;
      return Refusal{1s};
    }
    const std::chrono::duration<double> wait = expected_wait();
    if (wait > options_.max_queue_wait) {
      ++stats_.refused;
      return Refusal{std::max(std::chrono::ceil<std::chrono::seconds>(wait), std::chrono::seconds(1))};
    }
    queue_.push_back({std::move(job), Clock::now()});
  }
  wake_.notify_one();
  return std::nullopt;
}

std::chrono::duration<double> HashExecutor::expected_wait() const {
  const unsigned busy = stats_.running + static_cast<unsigned>(queue_.size());
  if (busy < options_.threads) return {};  // a thread is free (or about to take a queued job)
  // Every thread taken: the jobs waiting for one, and then this one, share the threads.
  const unsigned waiting_ahead = busy - options_.threads;
  return average_job_ * (waiting_ahead + 1) / options_.threads;
}

HashExecutor::Priority HashExecutor::lower_this_thread() {
  // SCHED_IDLE runs only when no normal thread wants the core; an unprivileged thread may enter it
  // (Linux >= 2.6.39), but a seccomp profile may refuse. nice 19 is the next best: a nice-0
  // thread gets about 98 % of a shared core. Both are per thread on Linux.
  sched_param param{};
  param.sched_priority = 0;
  if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &param) == 0) return Priority::idle;
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19) == 0) return Priority::nice;
  return Priority::unchanged;
}

void HashExecutor::work(std::latch& started) {
  const Priority got = options_.idle_priority ? lower_this_thread() : Priority::unchanged;
  {
    const std::lock_guard lock(mutex_);
    priority_ = std::max(priority_, got);
  }
  started.count_down();

  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping: the destructor has taken what was queued
    Queued next = std::move(queue_.front());
    queue_.pop_front();
    const Clock::time_point began = Clock::now();
    // Decided at dequeue: a job that waited too long answers at once, so no caller waits more
    // than the deadline plus the one hash running when its wait ran out.
    const bool late = began - next.submitted > options_.max_queue_wait;
    stats_.peak_running = std::max(stats_.peak_running, ++stats_.running);
    lock.unlock();

    run(std::move(next.job), late ? JobStart::too_late : JobStart::run);
    const auto took = Clock::now() - began;

    lock.lock();
    --stats_.running;  // only now: the job, and the memory it held, is gone
    if (late) {
      ++stats_.too_late;  // a job that did not hash says nothing of how long hashes take
    } else {
      ++stats_.completed;
      const std::chrono::duration<double> counted =
          std::max<std::chrono::duration<double>>(took, options_.min_job_estimate);
      average_job_ += kNewestJobWeight * (counted - average_job_);
    }
  }
}

std::chrono::seconds HashExecutor::retry_after() const {
  const std::lock_guard lock(mutex_);
  return std::max(std::chrono::ceil<std::chrono::seconds>(expected_wait()), std::chrono::seconds(1));
}

HashExecutorStats HashExecutor::stats() const {
  const std::lock_guard lock(mutex_);
  HashExecutorStats stats = stats_;
  stats.queued = static_cast<unsigned>(queue_.size());
  return stats;
}

std::string_view HashExecutor::priority() const {
  if (!options_.idle_priority) return "normal";
  const std::lock_guard lock(mutex_);
  switch (priority_) {
    case Priority::idle: return "SCHED_IDLE";
    case Priority::nice: return "nice 19";
    case Priority::unchanged: break;
  }
  return "unchanged";
}

void run_and_wait(HashExecutor& executor, const std::function<void()>& work) {
  std::promise<void> done;
  std::future<void> finished = done.get_future();
  const auto refusal = executor.submit([&work, &done](JobStart) {
    try {
      work();
      done.set_value();
    } catch (...) {
      done.set_exception(std::current_exception());
    }
  });
  if (refusal) return work();
  finished.get();
}

}  // namespace latchkey::password
