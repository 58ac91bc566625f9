// MemoryThrottle: Throttle over LoginThrottle's sliding windows.
#include "throttle/memory_throttle.h"

namespace latchkey::throttle {
namespace {

config::LoginThrottleConfig window_config(const Limits& limits) {
  config::LoginThrottleConfig config;
  config.window_seconds = limits.window_seconds;
  config.max_failures_per_account = limits.per_account ? limits.per_account : limits.per_address;
  config.max_failures_per_address = limits.per_address;
  return config;
}

}  // namespace

MemoryThrottle::MemoryThrottle(const Limits& limits, Clock clock)
    : per_account_(limits.per_account != 0), windows_(window_config(limits)), clock_(std::move(clock)) {}

std::string_view MemoryThrottle::account_key(std::string_view account, std::string_view address) const {
  return per_account_ ? account : address;
}

std::optional<std::chrono::seconds> MemoryThrottle::count(std::string_view account, std::string_view address) {
  return windows_.count_request(account_key(account, address), address, clock_());
}

void MemoryThrottle::succeeded(std::string_view account, std::string_view address) {
  windows_.record_success(account_key(account, address));
  windows_.forget_latest(account_key(account, address), address);
}

void MemoryThrottle::withdraw(std::string_view account, std::string_view address) {
  // Without a per-account limit both entries went to the address: the account map holds the other.
  windows_.forget_latest(account_key(account, address), address);
}

}  // namespace latchkey::throttle
