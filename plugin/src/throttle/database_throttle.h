// Limits counted in the database, so that every host on it counts the same attempts: N hosts give
// an attacker the configured limit, not N times it. Fixed windows (throttle_count_store.h).
#pragma once

#include "store/database.h"
#include "throttle/memory_throttle.h"
#include "throttle/throttle.h"
#include "throttle/throttle_count_store.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

namespace latchkey::throttle {

class DatabaseThrottle : public Throttle {
 public:
  using WallClock = std::function<std::chrono::system_clock::time_point()>;
  using Warn = std::function<void(std::string_view)>;

  // warn: told when the database fails to count (at most once a minute).
  DatabaseThrottle(store::Database& db, Limits limits, Warn warn, WallClock clock = std::chrono::system_clock::now);

  // Throws store::StoreUnavailable when the database cannot be reached (the caller answers 503, as
  // for every other query). Any other failure to count (a missing table, a statement the server
  // refuses): this host counts the attempt in memory instead, with the same limits, and warns:
  // never unlimited, never everyone locked out.
  std::optional<std::chrono::seconds> count(std::string_view account, std::string_view address) override;
  void succeeded(std::string_view account, std::string_view address) override;
  void withdraw(std::string_view account, std::string_view address) override;

 private:
  std::optional<std::chrono::seconds> count_in_database(std::string_view account, std::string_view address,
                                                        int64_t now_ms);
  void purge_now_and_then(int64_t now_ms);
  void warn_failure(const std::exception& failure, int64_t now_ms);

  ThrottleCountStore counts_;
  const Limits limits_;
  const std::string account_kind_;
  const std::string address_kind_;
  Warn warn_;
  WallClock clock_;
  MemoryThrottle fallback_;
  std::atomic<int64_t> next_purge_ms_{0};
  std::atomic<int64_t> next_warning_ms_{0};
};

}  // namespace latchkey::throttle
