// The key snapshot every request reads, swapped atomically when the keys in the database change:
// readers take a shared_ptr (one atomic load, no lock), a reload builds a whole new snapshot and
// publishes it in one store, so a request sees either the old keys or the new ones, never a mix.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "keys/key_snapshot.h"

namespace latchkey::keys {

class LiveKeys {
 public:
  using Loader = std::function<SnapshotResult()>;  // may throw (a database outage)
  enum class LogLevel { info, error };
  using Log = std::function<void(LogLevel, std::string_view)>;

  // A token with an unknown kid reloads the keys at most this often.
  static constexpr std::chrono::seconds kMinUnknownKidInterval{1};

  // Keys from the config: never reloaded.
  explicit LiveKeys(std::shared_ptr<const KeySnapshot> initial);
  // Keys from the database: `loader` builds a fresh snapshot.
  LiveKeys(std::shared_ptr<const KeySnapshot> initial, Loader loader, Log log);

  std::shared_ptr<const KeySnapshot> current() const { return snapshot_.load(std::memory_order_acquire); }

  // Loads and publishes the keys (the periodic refresh). On failure the current snapshot stays
  // and the failure is logged once (until it changes or a load succeeds); false then.
  bool reload();

  // After a token's kid was not in `seen`: a newer snapshot to verify it with, or null. Reloads
  // unless an unknown kid did so less than kMinUnknownKidInterval ago, so forged kids cost the
  // database at most one query a second; a request that finds a reload running waits for it.
  std::shared_ptr<const KeySnapshot> after_unknown_kid(const std::shared_ptr<const KeySnapshot>& seen);

 private:
  bool load_and_publish();  // reload_mutex_ held

  std::atomic<std::shared_ptr<const KeySnapshot>> snapshot_;
  const Loader loader_;
  const Log log_;
  std::mutex reload_mutex_;  // one load at a time; guards the members below
  std::optional<std::chrono::steady_clock::time_point> last_unknown_kid_reload_;
  std::string last_failure_;
};

}  // namespace latchkey::keys
