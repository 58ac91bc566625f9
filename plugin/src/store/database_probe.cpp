#include "store/database_probe.h"

namespace latchkey::store {

DatabaseProbe::DatabaseProbe(Database& db) : db_(db), thread_([this] { run(); }) {}

DatabaseProbe::~DatabaseProbe() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

std::optional<std::string> DatabaseProbe::check(std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  // A probe still running answers for this caller too; otherwise start a new one.
  if (finished_ == requested_) {
    ++requested_;
    changed_.notify_all();
  }
  const uint64_t wanted = requested_;
  if (!changed_.wait_for(lock, limit, [&] { return finished_ >= wanted; })) {
    return "the database did not answer within " + std::to_string(limit.count()) + " ms";
  }
  return last_failure_;
}

void DatabaseProbe::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || requested_ > finished_; });
    if (stopping_) return;
    const uint64_t probe = requested_;
    lock.unlock();
    std::optional<std::string> failure;
    try {
      db_.run([](soci::session& sql) {
        int one = 0;
        sql << "SELECT 1", soci::into(one);
      });
    } catch (const StoreUnavailable&) {
      failure = "the database is unreachable";
    } catch (const std::exception&) {
      failure = "the database refused a query";
    }
    lock.lock();
    finished_ = probe;
    last_failure_ = std::move(failure);
    changed_.notify_all();
  }
}

}  // namespace latchkey::store
