// A bound on how many Argon2 computations run at once, so that a login storm queues instead of
// allocating m KiB per request until memory runs out. Callers beyond the bound wait their turn,
// up to max_waiting of them; more are refused (Busy) so they do not hold the host's workers.
#pragma once

#include <atomic>
#include <cstddef>
#include <limits>
#include <semaphore>
#include <stdexcept>

namespace latchkey::password {

// Thrown by acquire() when max_waiting callers already wait: the caller should answer "busy".
class Busy : public std::runtime_error {
 public:
  Busy() : std::runtime_error("too many password hashes waiting") {}
};

class ConcurrencyLimit {
 public:
  static constexpr unsigned kUnbounded = std::numeric_limits<unsigned>::max() / 2;

  // `slots` >= 1 (checked by the owner).
  explicit ConcurrencyLimit(unsigned slots, unsigned max_waiting = kUnbounded);

  // Holds one slot from construction to destruction.
  class Slot {
   public:
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    friend class ConcurrencyLimit;  // only acquire() makes one, so admitted_ stays balanced
    explicit Slot(ConcurrencyLimit& limit);
    ConcurrencyLimit& limit_;
  };

  // Blocks until a slot is free; throws Busy when max_waiting callers are waiting already.
  [[nodiscard]] Slot acquire();

  // Whether acquire() would throw Busy right now. A hint (the answer may change a moment later)
  // that lets callers refuse before doing work that only leads to a hash.
  bool saturated() const { return admitted_.load() >= slots_ + max_waiting_; }

  unsigned slots() const { return slots_; }
  // Callers holding a slot or waiting for one (for tests and monitoring).
  unsigned admitted() const { return admitted_.load(); }
  // The most slots ever held at the same time (for tests and monitoring).
  unsigned peak_in_flight() const { return peak_.load(); }

 private:
  const unsigned slots_;
  const unsigned max_waiting_;
  std::counting_semaphore<> semaphore_;
  std::atomic<unsigned> admitted_{0};  // holding a slot or waiting for one
  std::atomic<unsigned> in_flight_{0};
  std::atomic<unsigned> peak_{0};
};

}  // namespace latchkey::password
