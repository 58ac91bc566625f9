// Remembers access tokens whose signature and claims verified, keyed by the SHA-256 of the exact
// token bytes, until they expire: the same bytes verify the same way, so a repeat costs a hash and
// a map lookup instead of a signature check (an Ed25519 verification is ~180 µs). Expiry is
// checked again on every hit. An entry holds the digest and the parsed claims, not the token nor
// its payload (claims_json is decoded again from the token on a hit): ~370 bytes instead of ~1.3 KB,
// which is what a full cache costs in RSS (the soak, docs/BENCHMARKS.md).
#pragma once

#include "jwt/access_token.h"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
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
  using Digest = std::array<std::uint8_t, 32>;
  struct DigestHash {
    std::size_t operator()(const Digest& digest) const noexcept;
  };
  static Digest digest_of(std::string_view token);
  std::optional<VerifiedAccessToken> find(const Digest& digest, std::string_view token, std::chrono::sys_seconds now,
                                          std::chrono::seconds leeway) const;
  void insert(const Digest& digest, const VerifiedAccessToken& verified, std::chrono::sys_seconds now);

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<Digest, VerifiedAccessToken, DigestHash> entries_;  // claims_json left empty
};

}  // namespace latchkey::jwt
