// The SQL of throttle_counts: one row per (kind, hashed key) holding a fixed window's count, so that
// every host on one database counts the same attempts. Each count is one atomic statement.
#pragma once

#include "store/database.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace latchkey::throttle {

struct WindowCount {
  int64_t hits = 0;           // attempts counted in the window, this one included
  int64_t window_end_ms = 0;  // epoch milliseconds; the count starts over at this time
};

class ThrottleCountStore {
 public:
  explicit ThrottleCountStore(store::Database& db) : db_(db) {}

  // Adds one to the key's count and returns it: a window that ended starts over at 1, ending
  // window_ms after now_ms. key_hash: the SHA-256 hex of the key (emails and addresses are never
  // stored). One statement, so concurrent takes on any host each see a distinct count.
  WindowCount take(std::string_view kind, std::string_view key_hash, int64_t window_ms, int64_t now_ms);
  // Takes back one count of the key's current window (no row or an ended window: nothing).
  void give_back(std::string_view kind, std::string_view key_hash, int64_t now_ms);
  // Forgets the key's count.
  void clear(std::string_view kind, std::string_view key_hash);
  // Deletes the rows whose window ended; returns how many.
  int64_t purge(int64_t now_ms);

 private:
  store::Database& db_;
};

}  // namespace latchkey::throttle
