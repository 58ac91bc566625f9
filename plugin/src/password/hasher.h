// Argon2id password hashing and verification (password/argon2.h), bounded in concurrency, with a
// dummy verification of equal cost for unknown accounts so that timing does not reveal which exist.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "password/concurrency_limit.h"
#include "password/parameters.h"

namespace latchkey::password {

struct HasherStats {
  std::uint64_t computations = 0;  // Argon2 runs for hash, verify and verify_dummy
  unsigned peak_in_flight = 0;     // never above max_concurrent
};

// std::thread::hardware_concurrency(), or 1 when unknown.
unsigned default_max_concurrent();

// Thread-safe: every member may be called from any number of threads at once. Each hash or
// verification holds one of `max_concurrent` slots (m KiB of memory each); further callers wait.
class Hasher {
 public:
  // Throws std::invalid_argument when !is_supported(parameters) or max_concurrent == 0 (a config
  // error at startup). Computes the dummy hash once, so construction costs one hash. The plugin's
  // routes bound how long a request waits for a hash with the HashExecutor, whose computation
  // threads never outnumber max_concurrent.
  explicit Hasher(Parameters parameters = {}, unsigned max_concurrent = default_max_concurrent());

  // "$argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>" with a fresh random 16-byte salt and a
  // 32-byte output. Check the policy first (check_password, or hash_new_password).
  std::string hash(std::string_view password) const;

  // Whether `password` matches `encoded`, compared in constant time. An `encoded` that is not a
  // well-formed Argon2 string with supported parameters is no match (after dummy work, so that
  // it costs the same).
  bool verify(std::string_view password, std::string_view encoded) const;

  // For unknown accounts: the same work as verify against a hash with the current parameters,
  // then false. Call it where verify would have been called, so both paths take alike time.
  bool verify_dummy(std::string_view password) const;

  // Whether `encoded` was made with another algorithm or other parameters than the current ones
  // (or cannot be read), so it should be replaced by hash(password) after a successful login.
  bool needs_rehash(std::string_view encoded) const;

  // Runs work (one Argon2 computation) to its end, perhaps on another thread, and returns after it.
  using ComputeRunner = std::function<void(const std::function<void()>& work)>;
  // Where the Argon2 computations run from now on (by default on the calling thread). The plugin
  // runs them on idle-priority threads, while the caller (which holds database locks at other
  // times) keeps its normal priority. Call before hashing starts on other threads.
  void run_computations_with(ComputeRunner runner) { runner_ = std::move(runner); }

  const Parameters& parameters() const { return parameters_; }
  unsigned max_concurrent() const { return limit_.slots(); }
  HasherStats stats() const;

 private:
  bool check(std::string_view password, const std::string& encoded) const;
  void compute(const std::function<void()>& argon2) const;

  const Parameters parameters_;
  mutable ConcurrencyLimit limit_;
  mutable std::atomic<std::uint64_t> computations_{0};
  std::string dummy_hash_;
  ComputeRunner runner_;
};

}  // namespace latchkey::password
