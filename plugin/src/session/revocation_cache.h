// What an access token's signature cannot say: whether its session was revoked, its jti denied, or
// its user disabled. Answers are cached for a short TTL so revocations made on any host sharing
// the database reach this one within that time, without a query per request.
#pragma once

#include "store/database.h"

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace latchkey::session {

class RevocationCache {
 public:
  using Clock = std::chrono::steady_clock;

  // observe (may be empty) learns of each answer whether the cache had it (for metrics).
  RevocationCache(store::Database& db, std::chrono::milliseconds ttl, std::function<void(bool hit)> observe = {})
      : db_(db), ttl_(ttl), observe_(std::move(observe)) {}

  // True when the token may still be used. Throws store::StoreUnavailable when the answer is not
  // cached and the database cannot be asked: the caller must refuse (fail closed).
  bool allows(std::string_view session_id, std::string_view jti, std::string_view user_id);

  // Forgets what this host knows of a session or user (after it revoked or disabled it itself).
  void forget_session(std::string_view session_id);
  void forget_user(std::string_view user_id);

  // How many answers the three maps hold (for tests).
  size_t entries();

 private:
  struct Entry {
    bool allowed = false;
    Clock::time_point fetched;
  };
  // Looked up by string_view: a request's check builds no std::string.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  using Map = std::unordered_map<std::string, Entry, Hash, std::equal_to<>>;

  template <class Fetch>
  bool cached(Map& map, std::string_view key, Fetch&& fetch, bool& fetched);
  // The answer for key when it is younger than the TTL; mutex_ held.
  const Entry* fresh_locked(const Map& map, std::string_view key, Clock::time_point now) const;
  // Drops the answers older than the TTL from all three maps, at most once per TTL; mutex_ held.
  void sweep_locked(Clock::time_point now);

  store::Database& db_;
  const std::chrono::milliseconds ttl_;
  const std::function<void(bool hit)> observe_;
  std::mutex mutex_;
  Map sessions_;
  Map tokens_;
  Map users_;
  Clock::time_point last_sweep_{};
};

}  // namespace latchkey::session
