// Counting-semaphore bound on concurrent Argon2 computations (see concurrency_limit.h).
#include "password/concurrency_limit.h"

namespace latchkey::password {

ConcurrencyLimit::ConcurrencyLimit(unsigned slots) : slots_(slots), semaphore_(static_cast<std::ptrdiff_t>(slots)) {}

ConcurrencyLimit::Slot ConcurrencyLimit::acquire() {
  admitted_.fetch_add(1);
  return Slot(*this);
}

ConcurrencyLimit::Slot::Slot(ConcurrencyLimit& limit) : limit_(limit) {
  limit_.semaphore_.acquire();
  // Counted inside the semaphore: if the bound ever failed, the peak would show it.
  const unsigned now = limit_.in_flight_.fetch_add(1) + 1;
  unsigned peak = limit_.peak_.load();
  while (now > peak && !limit_.peak_.compare_exchange_weak(peak, now)) {
  }
}

ConcurrencyLimit::Slot::~Slot() {
  limit_.in_flight_.fetch_sub(1);
  limit_.semaphore_.release();
  limit_.admitted_.fetch_sub(1);
}

}  // namespace latchkey::password
