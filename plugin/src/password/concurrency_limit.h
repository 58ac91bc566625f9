// A bound on how many Argon2 computations run at once, so that a login storm queues instead of
// allocating m KiB per request until memory runs out. Callers beyond the bound wait their turn.
#pragma once

#include <atomic>
#include <cstddef>
#include <semaphore>

namespace latchkey::password {

class ConcurrencyLimit {
 public:
  // `slots` >= 1 (checked by the owner).
  explicit ConcurrencyLimit(unsigned slots);

  // Holds one slot from construction to destruction.
  class Slot {
   public:
    explicit Slot(ConcurrencyLimit& limit);
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    ConcurrencyLimit& limit_;
  };

  // Blocks until a slot is free.
  [[nodiscard]] Slot acquire() { return Slot(*this); }

  unsigned slots() const { return slots_; }
  // The most slots ever held at the same time (for tests and monitoring).
  unsigned peak_in_flight() const { return peak_.load(); }

 private:
  const unsigned slots_;
  std::counting_semaphore<> semaphore_;
  std::atomic<unsigned> in_flight_{0};
  std::atomic<unsigned> peak_{0};
};

}  // namespace latchkey::password
