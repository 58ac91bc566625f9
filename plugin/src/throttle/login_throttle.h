// Throttles failed logins per account and per client address (ASVS 2.2.1), in memory, per host.
#pragma once

#include "config/auth_config.h"

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace latchkey::throttle {

class LoginThrottle {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  explicit LoginThrottle(const config::LoginThrottleConfig& config) : config_(config) {}

  // When the account or the address has failed too often within the window: how long until the
  // oldest failure leaves it. nullopt: go ahead.
  std::optional<std::chrono::seconds> retry_after(std::string_view account, std::string_view address,
                                                  TimePoint now);
  void record_failure(std::string_view account, std::string_view address, TimePoint now);
  // For limits on requests rather than failures: retry_after, and when it is nullopt the request
  // is counted, in one step, so concurrent callers cannot overshoot the limit.
  std::optional<std::chrono::seconds> count_request(std::string_view account, std::string_view address,
                                                    TimePoint now);
  void record_success(std::string_view account);
  // Takes back the newest entry of the account and of the address: an attempt counted up front
  // turned out not to count.
  void forget_latest(std::string_view account, std::string_view address);

 private:
  using Failures = std::deque<TimePoint>;
  void forget_old(Failures& failures, TimePoint now) const;
  std::optional<std::chrono::seconds> wait_for(std::unordered_map<std::string, Failures>& map, std::string_view key,
                                               uint32_t limit, TimePoint now);
  void prune(TimePoint now);
  // The bodies of retry_after and record_failure; mutex_ held.
  std::optional<std::chrono::seconds> wait_locked(std::string_view account, std::string_view address, TimePoint now);
  void record_locked(std::string_view account, std::string_view address, TimePoint now);

  const config::LoginThrottleConfig config_;
  std::mutex mutex_;
  std::unordered_map<std::string, Failures> by_account_;
  std::unordered_map<std::string, Failures> by_address_;
  TimePoint last_prune_{};
};

}  // namespace latchkey::throttle
