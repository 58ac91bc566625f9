// Limits counted in this host's memory (the sliding windows of login_throttle.h): the default on
// SQLite, and what a database throttle falls back to while its database fails.
#pragma once

#include "throttle/login_throttle.h"
#include "throttle/throttle.h"

#include <functional>

namespace latchkey::throttle {

class MemoryThrottle : public Throttle {
 public:
  using Clock = std::function<LoginThrottle::TimePoint()>;

  explicit MemoryThrottle(const Limits& limits, Clock clock = LoginThrottle::TimePoint::clock::now);

  std::optional<std::chrono::seconds> count(std::string_view account, std::string_view address) override;
  void succeeded(std::string_view account, std::string_view address) override;
  void withdraw(std::string_view account, std::string_view address) override;

 private:
  // Without a per-account limit the address stands in for the account, under the address's limit.
  std::string_view account_key(std::string_view account, std::string_view address) const;

  const bool per_account_;
  LoginThrottle windows_;
  Clock clock_;
};

}  // namespace latchkey::throttle
