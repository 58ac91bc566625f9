// A provider's JWKS kept in memory: fetched on first use, kept as long as its Cache-Control
// max-age says (within bounds), refetched early when a token names an unknown kid, but never
// more than once per `min_refetch_interval`, so a flood of made-up kids costs one fetch.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "google/jwks_fetch.h"
#include "jwt/key_set.h"

namespace latchkey::google {

struct JwksCachePolicy {
  std::chrono::seconds default_ttl{3600};          // no max-age given (e.g. a file)
  std::chrono::seconds min_ttl{60};                // max-age=0 or no-store still caches this long
  std::chrono::seconds max_ttl{86400};
  std::chrono::seconds min_refetch_interval{30};   // between fetches for unknown kids
  std::chrono::seconds failure_backoff{5};         // after a failed fetch, before the next try
  std::chrono::seconds max_stale{3600};            // expired keys still used while fetches fail
};

using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;
using LogLine = std::function<void(std::string_view)>;

struct JwksLookup {
  std::shared_ptr<const jwt::KeySet> keys;  // null: no usable JWKS (fetch failed, nothing cached)
};

class JwksCache {
 public:
  JwksCache(JwksFetcher fetch, JwksCachePolicy policy = {}, SteadyClock clock = std::chrono::steady_clock::now,
            LogLine log = nullptr);

  // The keys to verify a token whose header names `kid`. Safe from many threads; at most one
  // fetch runs at a time and the others wait for it (bounded by the fetcher's timeouts).
  JwksLookup keys_for(std::string_view kid);

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Snapshot {
    std::shared_ptr<const jwt::KeySet> keys;
    TimePoint expires_at{};
    TimePoint last_attempt{};
    bool attempted = false;
    bool last_failed = false;
    TimePoint last_kid_refetch{};  // the last fetch caused by an unknown kid
    bool kid_refetched = false;
  };
  Snapshot snapshot() const;
  bool should_fetch(const Snapshot& state, std::string_view kid, TimePoint now) const;
  std::shared_ptr<const jwt::KeySet> usable(const Snapshot& state, TimePoint now) const;
  void fetch(TimePoint now, bool for_unknown_kid);

  JwksFetcher fetch_;
  JwksCachePolicy policy_;
  SteadyClock clock_;
  LogLine log_;
  mutable std::mutex state_mutex_;
  std::mutex fetch_mutex_;  // held across one fetch
  Snapshot state_;
};

}  // namespace latchkey::google
