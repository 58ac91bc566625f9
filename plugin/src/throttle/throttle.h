// The one interface callers use for a limit per account and per client address: counted in this
// host's memory (memory_throttle.h) or in the database every host shares (database_throttle.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace latchkey::throttle {

// At most per_account attempts per account and per_address per client address within the window.
struct Limits {
  std::string name;  // names the counts in the database ("login", "resend", "reset", "nonce")
  uint32_t window_seconds = 900;
  uint32_t per_account = 20;  // 0: no account key; the limit is per address only
  uint32_t per_address = 100;
};

class Throttle {
 public:
  virtual ~Throttle() = default;

  // Counts one attempt for the account and the address unless either is at its limit: nullopt to
  // go ahead, else how long until it falls under the limit (at least 1 s). Checking and counting
  // are one step, so concurrent callers never get more than the limit through. An attempt refused
  // by one key is not counted by the other.
  virtual std::optional<std::chrono::seconds> count(std::string_view account, std::string_view address) = 0;

  // A counted attempt succeeded: the account starts over, and the address does not count it.
  // Limits on failures count every attempt up front (so that guesses sent at once cannot all pass
  // a check before any of them failed) and forgive the ones that succeed.
  virtual void succeeded(std::string_view account, std::string_view address) = 0;

  // A counted attempt ended before its outcome was known (the database failed): it does not count.
  virtual void withdraw(std::string_view account, std::string_view address) = 0;
};

}  // namespace latchkey::throttle
