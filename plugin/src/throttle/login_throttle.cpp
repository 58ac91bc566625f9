// Sliding windows of failure times; maps are pruned now and then so memory stays bounded by the
// number of keys that failed within one window.
#include "throttle/login_throttle.h"

namespace latchkey::throttle {

void LoginThrottle::forget_old(Failures& failures, TimePoint now) const {
  const auto window = std::chrono::seconds(config_.window_seconds);
  while (!failures.empty() && now - failures.front() >= window) failures.pop_front();
}

std::optional<std::chrono::seconds> LoginThrottle::wait_for(std::unordered_map<std::string, Failures>& map,
                                                            std::string_view key, uint32_t limit, TimePoint now) {
  const auto it = map.find(std::string(key));
  if (it == map.end()) return std::nullopt;
  forget_old(it->second, now);
  if (it->second.size() < limit) return std::nullopt;
  const auto until = it->second.front() + std::chrono::seconds(config_.window_seconds);
  return std::chrono::ceil<std::chrono::seconds>(until - now);
}

std::optional<std::chrono::seconds> LoginThrottle::retry_after(std::string_view account, std::string_view address,
                                                               TimePoint now) {
  std::lock_guard lock(mutex_);
  return wait_locked(account, address, now);
}

void LoginThrottle::record_failure(std::string_view account, std::string_view address, TimePoint now) {
  std::lock_guard lock(mutex_);
  record_locked(account, address, now);
}

std::optional<std::chrono::seconds> LoginThrottle::count_request(std::string_view account, std::string_view address,
                                                                 TimePoint now) {
  std::lock_guard lock(mutex_);
  if (auto wait = wait_locked(account, address, now)) return wait;
  record_locked(account, address, now);
  return std::nullopt;
}

std::optional<std::chrono::seconds> LoginThrottle::wait_locked(std::string_view account, std::string_view address,
                                                               TimePoint now) {
  auto by_account = wait_for(by_account_, account, config_.max_failures_per_account, now);
  auto by_address = wait_for(by_address_, address, config_.max_failures_per_address, now);
  if (by_account && by_address) return std::max(*by_account, *by_address);
  return by_account ? by_account : by_address;
}

void LoginThrottle::record_locked(std::string_view account, std::string_view address, TimePoint now) {
  prune(now);
  by_account_[std::string(account)].push_back(now);
  by_address_[std::string(address)].push_back(now);
  // A key never holds more than its limit: older entries would not change the answer.
  auto& account_failures = by_account_[std::string(account)];
  while (account_failures.size() > config_.max_failures_per_account) account_failures.pop_front();
  auto& address_failures = by_address_[std::string(address)];
  while (address_failures.size() > config_.max_failures_per_address) address_failures.pop_front();
}

void LoginThrottle::record_success(std::string_view account) {
  std::lock_guard lock(mutex_);
  by_account_.erase(std::string(account));
}

void LoginThrottle::forget_latest(std::string_view account, std::string_view address) {
  std::lock_guard lock(mutex_);
  for (auto [map, key] : {std::pair{&by_account_, account}, std::pair{&by_address_, address}}) {
    const auto it = map->find(std::string(key));
    if (it != map->end() && !it->second.empty()) it->second.pop_back();
  }
}

void LoginThrottle::prune(TimePoint now) {
  if (now - last_prune_ < std::chrono::seconds(config_.window_seconds)) return;
  last_prune_ = now;
  for (auto* map : {&by_account_, &by_address_}) {
    for (auto it = map->begin(); it != map->end();) {
      forget_old(it->second, now);
      it = it->second.empty() ? map->erase(it) : std::next(it);
    }
  }
}

}  // namespace latchkey::throttle
