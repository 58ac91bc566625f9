// JwksCache: freshness, the refetch rate limit and stale keys during an outage.
#include "google/jwks_cache.h"

#include <algorithm>

#include "jwt/jwks.h"

namespace latchkey::google {

JwksCache::JwksCache(JwksFetcher fetch, JwksCachePolicy policy, SteadyClock clock, LogLine log)
    : fetch_(std::move(fetch)), policy_(policy), clock_(std::move(clock)), log_(std::move(log)) {}

JwksCache::Snapshot JwksCache::snapshot() const {
  const std::lock_guard lock(state_mutex_);
  return state_;
}

bool JwksCache::should_fetch(const Snapshot& state, std::string_view kid, TimePoint now) const {
  if (!state.attempted) return true;
  const auto since_attempt = now - state.last_attempt;
  if (state.last_failed) return since_attempt >= policy_.failure_backoff;
  if (!state.keys || now >= state.expires_at) return true;  // expired: one fetch renews it
  return state.keys->find(kid) == nullptr &&
         (!state.kid_refetched || now - state.last_kid_refetch >= policy_.min_refetch_interval);
}

std::shared_ptr<const jwt::KeySet> JwksCache::usable(const Snapshot& state, TimePoint now) const {
  if (!state.keys || now >= state.expires_at + policy_.max_stale) return nullptr;
  return state.keys;
}

void JwksCache::fetch(TimePoint now, bool for_unknown_kid) {
  const JwksDocument document = fetch_();
  std::string error = document.error;
  std::shared_ptr<const jwt::KeySet> keys;
  if (document.ok) {
    jwt::KeySetResult parsed = jwt::parse_jwks(document.body);
    if (parsed.key_set) keys = std::make_shared<const jwt::KeySet>(std::move(*parsed.key_set));
    else error = "unusable JWKS: " + parsed.error;
  }
  const std::lock_guard lock(state_mutex_);
  state_.attempted = true;
  state_.last_attempt = now;
  state_.last_failed = keys == nullptr;
  if (for_unknown_kid) {
    state_.kid_refetched = true;
    state_.last_kid_refetch = now;
  }
  if (!keys) {
    if (log_) log_("JWKS fetch failed: " + error);
    return;
  }
  const auto ttl = std::clamp(document.max_age.value_or(policy_.default_ttl), policy_.min_ttl, policy_.max_ttl);
  state_.keys = std::move(keys);
  state_.expires_at = now + ttl;
}

JwksLookup JwksCache::keys_for(std::string_view kid) {
  const TimePoint now = clock_();
  {
    const Snapshot state = snapshot();
    if (state.keys && now < state.expires_at && state.keys->find(kid) != nullptr) return {state.keys};
    if (!should_fetch(state, kid, now)) return {usable(state, now)};
  }
  const std::lock_guard fetching(fetch_mutex_);
  const TimePoint after_wait = clock_();
  const Snapshot state = snapshot();  // another thread may have fetched while this one waited
  if (should_fetch(state, kid, after_wait)) {
    const bool for_unknown_kid = state.keys && after_wait < state.expires_at && !state.last_failed;
    fetch(after_wait, for_unknown_kid);
  }
  return {usable(snapshot(), after_wait)};
}

}  // namespace latchkey::google
