// LiveKeys: the snapshot swap, failures that keep the keys, and the once-a-second rule for reloads
// caused by unknown kids (a counting loader stands in for the database).
#include "keys/live_keys.h"

#include "keys/new_signing_key.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace latchkey::keys {
namespace {

using namespace std::chrono_literals;

const KeyEncryption kEncryption = *KeyEncryption::from_secret("a key-encryption key of 32+ bytes, for tests only");

std::shared_ptr<const KeySnapshot> snapshot_with_new_key() {
  StoredKey row = generate_signing_key(jwt::Algorithm::EdDSA, kEncryption, 0);
  row.state = KeyState::active;
  return build_snapshot({row}, kEncryption, 0, 0s).snapshot;
}

struct CountingLoader {
  std::atomic<int> calls{0};
  std::atomic<bool> fail{false};
  LiveKeys::Loader loader() {
    return [this]() -> SnapshotResult {
      ++calls;
      if (fail) throw std::runtime_error("database down");
      return {snapshot_with_new_key(), SnapshotError::none, {}};
    };
  }
};

struct Lines {
  std::mutex mutex;
  std::vector<std::string> lines;
  LiveKeys::Log log() {
    return [this](LiveKeys::LogLevel, std::string_view line) {
      std::lock_guard lock(mutex);
      lines.emplace_back(line);
    };
  }
};

TEST(LiveKeys, ConfigKeysNeverReload) {
  const auto initial = snapshot_with_new_key();
  LiveKeys keys(initial);
  EXPECT_FALSE(keys.reload());
  EXPECT_EQ(keys.after_unknown_kid(initial), nullptr);
  EXPECT_EQ(keys.current(), initial);
}

TEST(LiveKeys, ReloadPublishesANewSnapshotAndLogsTheChange) {
  CountingLoader loader;
  Lines log;
  const auto initial = snapshot_with_new_key();
  LiveKeys keys(initial, loader.loader(), log.log());
  EXPECT_TRUE(keys.reload());
  EXPECT_NE(keys.current(), initial);
  ASSERT_EQ(log.lines.size(), 1u);
  EXPECT_NE(log.lines[0].find(keys.current()->keys.signing_key()->kid()), std::string::npos);
}

TEST(LiveKeys, FailedReloadKeepsTheKeysAndLogsOncePerFailure) {
  CountingLoader loader;
  Lines log;
  const auto initial = snapshot_with_new_key();
  LiveKeys keys(initial, loader.loader(), log.log());
  loader.fail = true;
  EXPECT_FALSE(keys.reload());
  EXPECT_FALSE(keys.reload());
  EXPECT_EQ(keys.current(), initial);
  ASSERT_EQ(log.lines.size(), 1u);
  EXPECT_NE(log.lines[0].find("database down"), std::string::npos);
  loader.fail = false;
  EXPECT_TRUE(keys.reload());
  EXPECT_NE(keys.current(), initial);
}

TEST(LiveKeys, UnknownKidReloadsAtMostOnceASecond) {
  CountingLoader loader;
  LiveKeys keys(snapshot_with_new_key(), loader.loader(), [](LiveKeys::LogLevel, std::string_view) {});
  auto seen = keys.current();
  const auto newer = keys.after_unknown_kid(seen);
  ASSERT_NE(newer, nullptr);
  EXPECT_EQ(loader.calls, 1);
  // Another forged kid right after: no query, nothing newer.
  EXPECT_EQ(keys.after_unknown_kid(newer), nullptr);
  EXPECT_EQ(loader.calls, 1);
  std::this_thread::sleep_for(LiveKeys::kMinUnknownKidInterval + 50ms);
  EXPECT_NE(keys.after_unknown_kid(keys.current()), nullptr);
  EXPECT_EQ(loader.calls, 2);
}

TEST(LiveKeys, RequestThatVerifiedWithOlderKeysGetsTheNewerOnesWithoutAQuery) {
  CountingLoader loader;
  LiveKeys keys(snapshot_with_new_key(), loader.loader(), [](LiveKeys::LogLevel, std::string_view) {});
  const auto old = keys.current();
  ASSERT_TRUE(keys.reload());  // the periodic refresh ran meanwhile
  EXPECT_EQ(keys.after_unknown_kid(old), keys.current());
  EXPECT_EQ(loader.calls, 1);
}

TEST(LiveKeys, ConcurrentUnknownKidsCauseOneQuery) {
  CountingLoader loader;
  LiveKeys keys(snapshot_with_new_key(), loader.loader(), [](LiveKeys::LogLevel, std::string_view) {});
  const auto seen = keys.current();
  std::vector<std::thread> threads;
  std::atomic<int> got_newer{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (keys.after_unknown_kid(seen)) ++got_newer;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(loader.calls, 1);
  EXPECT_EQ(got_newer, 8) << "every request retries with the reloaded keys";
}

}  // namespace
}  // namespace latchkey::keys
