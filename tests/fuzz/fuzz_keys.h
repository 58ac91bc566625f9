// The fixed keys the token targets verify with, so that seed tokens signed with them
// (corpus/jws, made by make_token_seeds.py) reach the code behind a valid signature.
// Test keys only: published here, never used anywhere else.
#pragma once

#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

#include "jwt/key.h"
#include "jwt/key_set.h"

namespace latchkey::fuzz {

inline constexpr std::string_view kHmacSecret = "0123456789abcdef0123456789abcdef";  // 32 bytes

inline constexpr std::string_view kEd25519Pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIP1w39T54+Hi4fQQ2o/oPHGHGby4t7t3SHAgrU3ugKvy\n"
    "-----END PRIVATE KEY-----\n";

inline constexpr std::string_view kP256Pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg4o0R4+izppxVHksF\n"
    "mSbwOtSYs4lUZfN9pPqC1LXOwRahRANCAAQaqjVUtBcGIdBfpWaBiA2nHBl4F+r4\n"
    "HV/6L71qP9K+Mddybg5YiOpg0bw5scqjf/E+7IxfCveLgTiGoQXqzfsP\n"
    "-----END PRIVATE KEY-----\n";

inline jwt::Key must(jwt::KeyResult result) {
  if (!result.key) std::abort();
  return std::move(*result.key);
}

inline jwt::Key hs256_key() { return must(jwt::Key::from_hmac_secret(kHmacSecret, "hs")); }
inline jwt::Key ed25519_key() { return must(jwt::Key::from_private_pem(kEd25519Pem, "ed")); }
inline jwt::Key p256_key() { return must(jwt::Key::from_private_pem(kP256Pem, "es")); }

// HS256 "hs" signs; EdDSA "ed" and ES256 "es" verify too.
inline const jwt::KeySet& key_set() {
  static const jwt::KeySet keys = [] {
    auto result = jwt::KeySet::create(hs256_key(), {ed25519_key(), p256_key()});
    if (!result.key_set) std::abort();
    return std::move(*result.key_set);
  }();
  return keys;
}

}  // namespace latchkey::fuzz
