// The verified-token cache: one map under a mutex; when full, expired entries go first, and if
// none have expired the map starts over (bounded memory beats a perfect hit rate).
#include "jwt/verified_token_cache.h"

#include "jwt/base64url.h"

#include <botan/hash.h>

#include <cstring>
#include <memory>

namespace latchkey::jwt {

std::size_t VerifiedTokenCache::DigestHash::operator()(const Digest& digest) const noexcept {
  std::size_t value;
  std::memcpy(&value, digest.data(), sizeof value);  // a SHA-256 prefix is as good as any hash
  return value;
}

VerifiedTokenCache::Digest VerifiedTokenCache::digest_of(std::string_view token) {
  // One hash object per thread: creating one looks the name up and allocates, on every request.
  // final() leaves it reset for the next token.
  thread_local const std::unique_ptr<Botan::HashFunction> sha256 = Botan::HashFunction::create_or_throw("SHA-256");
  sha256->update(reinterpret_cast<const std::uint8_t*>(token.data()), token.size());
  Digest digest;
  sha256->final(digest.data());
  return digest;
}

std::optional<VerifiedAccessToken> VerifiedTokenCache::find(std::string_view token, std::chrono::sys_seconds now,
                                                            std::chrono::seconds leeway) const {
  return find(digest_of(token), token, now, leeway);
}

std::optional<VerifiedAccessToken> VerifiedTokenCache::find(const Digest& digest, std::string_view token,
                                                            std::chrono::sys_seconds now,
                                                            std::chrono::seconds leeway) const {
  std::optional<VerifiedAccessToken> hit;
  {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(digest);
    if (it == entries_.end()) return std::nullopt;
    hit = it->second;
  }
  // The payload's exact bytes, as verify_access_token gave them: the token's second segment, which
  // decoded when it verified (the digest says these are the same bytes).
  const auto first_dot = token.find('.'), last_dot = token.rfind('.');
  if (first_dot == std::string_view::npos || last_dot == first_dot) return std::nullopt;
  auto payload = base64url_decode_text(token.substr(first_dot + 1, last_dot - first_dot - 1));
  if (!payload) return std::nullopt;
  hit->claims_json = std::move(*payload);
  if (now.time_since_epoch().count() > hit->claims.exp + leeway.count()) {
    hit->error = AccessTokenError::expired;
  }
  return hit;
}

void VerifiedTokenCache::insert(std::string_view token, const VerifiedAccessToken& verified,
                                std::chrono::sys_seconds now) {
  insert(digest_of(token), verified, now);
}

void VerifiedTokenCache::insert(const Digest& digest, const VerifiedAccessToken& verified,
                                std::chrono::sys_seconds now) {
  if (verified.error != AccessTokenError::none || capacity_ == 0) return;
  VerifiedAccessToken entry = verified;
  entry.claims_json = std::string();  // decoded again from the token on a hit
  std::lock_guard lock(mutex_);
  if (entries_.size() >= capacity_) {
    std::erase_if(entries_, [&](const auto& item) { return item.second.claims.exp < now.time_since_epoch().count(); });
    if (entries_.size() >= capacity_) entries_.clear();
  }
  entries_.emplace(digest, std::move(entry));
}

VerifiedAccessToken VerifiedTokenCache::verify(std::string_view token, const KeySet& keys,
                                               const AccessTokenCheck& check) {
  const Digest digest = digest_of(token);
  if (auto hit = find(digest, token, check.now, check.leeway)) return *hit;
  VerifiedAccessToken verified = verify_access_token(token, keys, check);
  insert(digest, verified, check.now);
  return verified;
}

}  // namespace latchkey::jwt
