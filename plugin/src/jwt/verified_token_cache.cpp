// The verified-token cache: one map under a mutex; when full, expired entries go first, and if
// none have expired the map starts over (bounded memory beats a perfect hit rate).
#include "jwt/verified_token_cache.h"

namespace latchkey::jwt {

std::optional<VerifiedAccessToken> VerifiedTokenCache::find(std::string_view token, std::chrono::sys_seconds now,
                                                            std::chrono::seconds leeway) const {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(std::string(token));
  if (it == entries_.end()) return std::nullopt;
  VerifiedAccessToken hit = it->second;
  if (now.time_since_epoch().count() > hit.claims.exp + leeway.count()) {
    hit.error = AccessTokenError::expired;
  }
  return hit;
}

void VerifiedTokenCache::insert(std::string_view token, const VerifiedAccessToken& verified,
                                std::chrono::sys_seconds now) {
  if (verified.error != AccessTokenError::none || capacity_ == 0) return;
  std::lock_guard lock(mutex_);
  if (entries_.size() >= capacity_) {
    std::erase_if(entries_, [&](const auto& entry) { return entry.second.claims.exp < now.time_since_epoch().count(); });
    if (entries_.size() >= capacity_) entries_.clear();
  }
  entries_.emplace(std::string(token), verified);
}

VerifiedAccessToken VerifiedTokenCache::verify(std::string_view token, const KeySet& keys,
                                               const AccessTokenCheck& check) {
  if (auto hit = find(token, check.now, check.leeway)) return *hit;
  VerifiedAccessToken verified = verify_access_token(token, keys, check);
  insert(token, verified, check.now);
  return verified;
}

}  // namespace latchkey::jwt
