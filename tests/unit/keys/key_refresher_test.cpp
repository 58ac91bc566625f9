// KeyRefresher: reloads on its interval, and stops at once when destroyed (not after a full interval).
#include "keys/key_refresher.h"

#include "keys/new_signing_key.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace latchkey::keys {
namespace {

using namespace std::chrono_literals;

const KeyEncryption kEncryption = *KeyEncryption::from_secret("a key-encryption key of 32+ bytes, for tests only");

std::shared_ptr<const KeySnapshot> snapshot() {
  StoredKey row = generate_signing_key(jwt::Algorithm::HS256, kEncryption, 0);
  row.state = KeyState::active;
  return build_snapshot({row}, kEncryption, 0, 0s).snapshot;
}

TEST(KeyRefresher, ReloadsEveryInterval) {
  std::atomic<int> loads{0};
  LiveKeys keys(snapshot(), [&]() -> SnapshotResult { ++loads; return {snapshot(), SnapshotError::none, {}}; },
                [](LiveKeys::LogLevel, std::string_view) {});
  const auto first = keys.current();
  {
    KeyRefresher refresher(keys, 20ms);
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (loads < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  }
  EXPECT_GE(loads, 3);
  EXPECT_NE(keys.current(), first);
}

TEST(KeyRefresher, StopsAtOnceWithALongInterval) {
  std::atomic<int> loads{0};
  LiveKeys keys(snapshot(), [&]() -> SnapshotResult { ++loads; return {snapshot(), SnapshotError::none, {}}; },
                [](LiveKeys::LogLevel, std::string_view) {});
  const auto started = std::chrono::steady_clock::now();
  { KeyRefresher refresher(keys, 1h); }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  EXPECT_EQ(loads, 0) << "no reload before the first interval has passed";
}

}  // namespace
}  // namespace latchkey::keys
