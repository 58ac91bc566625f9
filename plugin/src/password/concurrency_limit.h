// A bound on how many Argon2 computations run at once, so that concurrent hashes never hold more
// than slots × m KiB of memory. Callers beyond the bound wait their turn; how long a request may
// wait for a hash is the hash queue's business (hash_executor.h).
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
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    friend class ConcurrencyLimit;  // only acquire() makes one, so admitted_ stays balanced
    explicit Slot(ConcurrencyLimit& limit);
    ConcurrencyLimit& limit_;
  };

  // Blocks until a slot is free.
  [[nodiscard]] Slot acquire();

  unsigned slots() const { return slots_; }
  // Callers holding a slot or waiting for one (for tests and monitoring).
  unsigned admitted() const { return admitted_.load(); }
  // The most slots ever held at the same time (for tests and monitoring).
  unsigned peak_in_flight() const { return peak_.load(); }

 private:
  const unsigned slots_;
  std::counting_semaphore<> semaphore_;
  std::atomic<unsigned> admitted_{0};  // holding a slot or waiting for one
  std::atomic<unsigned> in_flight_{0};
  std::atomic<unsigned> peak_{0};
};

}  // namespace latchkey::password
