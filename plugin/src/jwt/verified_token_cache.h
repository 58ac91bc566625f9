// Remembers access tokens whose signature and claims verified, keyed by the exact token bytes,
// until they expire: the same bytes verify the same way, so a repeat costs a map lookup instead of
// a signature check (an Ed25519 verification is ~180 µs). Expiry is checked again on every hit.
#pragma once

#include "jwt/access_token.h"

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace latchkey::jwt {

class VerifiedTokenCache {
 public:
  explicit VerifiedTokenCache(std::size_t capacity = 4096) : capacity_(capacity) {}

  // The cached result for token, or nullopt when not cached; a cached token past exp + leeway
  // comes back as AccessTokenError::expired.
  std::optional<VerifiedAccessToken> find(std::string_view token, std::chrono::sys_seconds now,
                                          std::chrono::seconds leeway) const;
  // Keeps a token that verified (error none); others are never cached.
  void insert(std::string_view token, const VerifiedAccessToken& verified, std::chrono::sys_seconds now);

  // verify_access_token through the cache.
  VerifiedAccessToken verify(std::string_view token, const KeySet& keys, const AccessTokenCheck& check);

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, VerifiedAccessToken> entries_;
};

}  // namespace latchkey::jwt
