// The background thread that reloads a host's signing keys every tokens.key_refresh_seconds, so a
// key added or activated on any host (or by the CLI) reaches this one without a request waiting.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "keys/live_keys.h"

namespace latchkey::keys {

class KeyRefresher {
 public:
  KeyRefresher(LiveKeys& keys, std::chrono::milliseconds every);
  ~KeyRefresher();  // stops the thread and waits for a reload in progress
  KeyRefresher(const KeyRefresher&) = delete;
  KeyRefresher& operator=(const KeyRefresher&) = delete;

 private:
  void run();

  LiveKeys& keys_;
  const std::chrono::milliseconds every_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;     // last: starts once the members above exist
};

}  // namespace latchkey::keys
