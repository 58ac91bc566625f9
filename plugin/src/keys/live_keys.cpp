// Reloading keys: failures keep the keys a host has (it goes on signing and verifying with them)
// and are logged once; changes are logged as the kids involved, never key material.
#include "keys/live_keys.h"

namespace latchkey::keys {
namespace {

std::string describe(const KeySnapshot& snapshot) {
  const jwt::Key* signing = snapshot.keys.signing_key();
  std::string text = "signing with " + (signing ? signing->kid() : std::string("nothing")) + "; verifying with";
  for (const auto& [kid, key] : snapshot.keys.keys()) text += " " + kid;
  return text;
}

}  // namespace

LiveKeys::LiveKeys(std::shared_ptr<const KeySnapshot> initial) : snapshot_(std::move(initial)) {}

LiveKeys::LiveKeys(std::shared_ptr<const KeySnapshot> initial, Loader loader, Log log)
    : snapshot_(std::move(initial)), loader_(std::move(loader)), log_(std::move(log)) {}

bool LiveKeys::reload() {
  if (!loader_) return false;
  std::lock_guard lock(reload_mutex_);
  return load_and_publish();
}

std::shared_ptr<const KeySnapshot> LiveKeys::after_unknown_kid(const std::shared_ptr<const KeySnapshot>& seen) {
  if (!loader_) return nullptr;
  std::lock_guard lock(reload_mutex_);
  if (auto newer = current(); newer != seen) return newer;  // reloaded while this request verified
  const auto now = std::chrono::steady_clock::now();
  if (last_unknown_kid_reload_ && now - *last_unknown_kid_reload_ < kMinUnknownKidInterval) return nullptr;
  last_unknown_kid_reload_ = now;
  const bool loaded = load_and_publish();
  // Stamped again when the load ended: a load slower than the interval (a slow database) must not
  // let every request queued on the mutex run one more load after it.
  last_unknown_kid_reload_ = std::chrono::steady_clock::now();
  if (!loaded) return nullptr;
  auto fresh = current();
  return fresh != seen ? fresh : nullptr;
}

bool LiveKeys::load_and_publish() {
  std::string failure;
  try {
    SnapshotResult loaded = loader_();
    if (loaded.snapshot) {
      const std::string before = describe(*current());
      const std::string after = describe(*loaded.snapshot);
      snapshot_.store(std::move(loaded.snapshot), std::memory_order_release);
      if (!last_failure_.empty()) log_(LogLevel::info, "signing keys load again");
      last_failure_.clear();
      if (after != before) log_(LogLevel::info, "signing keys changed: " + after);
      return true;
    }
    failure = loaded.message;
  } catch (const std::exception& error) {
    failure = std::string("cannot read the signing keys: ") + error.what();
  }
  if (failure != last_failure_) log_(LogLevel::error, failure + " (keeping the keys loaded before)");
  last_failure_ = failure;
  return false;
}

}  // namespace latchkey::keys
