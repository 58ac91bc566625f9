// Withdraws an attempt counted up front unless its outcome was decided: an exception in between (a
// database failure, answered 503) is not a failed guess and must not lock the account.
#pragma once

#include "throttle/throttle.h"

#include <string_view>

namespace latchkey::throttle {

class CountedAttempt {
 public:
  // account and address must outlive this guard.
  CountedAttempt(Throttle& throttle, std::string_view account, std::string_view address)
      : throttle_(throttle), account_(account), address_(address) {}
  ~CountedAttempt() {
    if (decided_) return;
    try {
      throttle_.withdraw(account_, address_);
    } catch (...) {  // unwinding already: the original failure is what the caller must see
    }
  }
  CountedAttempt(const CountedAttempt&) = delete;
  CountedAttempt& operator=(const CountedAttempt&) = delete;

  // The password was checked: the count stands (or succeeded() forgives it).
  void decided() { decided_ = true; }

 private:
  Throttle& throttle_;
  std::string_view account_;
  std::string_view address_;
  bool decided_ = false;
};

}  // namespace latchkey::throttle
