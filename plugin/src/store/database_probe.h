// Whether the database answers, for the host's readiness path: a `SELECT 1` on a pooled connection,
// run by one thread of its own so that a caller waits at most its limit even when the server
// hangs (the query itself is bounded by the pool's lease and query timeouts). Concurrent callers
// share one probe in flight instead of each starting their own.
#pragma once

#include "store/database.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace latchkey::store {

class DatabaseProbe {
 public:
  explicit DatabaseProbe(Database& db);
  ~DatabaseProbe();  // waits for a probe in progress (bounded by the query timeout)
  DatabaseProbe(const DatabaseProbe&) = delete;
  DatabaseProbe& operator=(const DatabaseProbe&) = delete;

  // nullopt when a probe started now (or joined in flight) answered within limit; else why not.
  // The reason names no host, user or password: the ready path is public.
  std::optional<std::string> check(std::chrono::milliseconds limit);

 private:
  void run();

  Database& db_;
  std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t requested_ = 0;  // probes asked for
  uint64_t finished_ = 0;   // the number of the last probe that ended
  std::optional<std::string> last_failure_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace latchkey::store
