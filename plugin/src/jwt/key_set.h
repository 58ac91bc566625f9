// The keys a service signs and verifies with: one signing key plus extra verify keys for
// rotation, found by `kid` in a map and nowhere else (no files, URLs or queries, RFC 8725 §3.10).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jwt/key.h"

namespace latchkey::jwt {

struct KeySetResult;

class KeySet {
 public:
  // Fails on a signing key that cannot sign, or two keys with one kid.
  static KeySetResult create(Key signing_key, std::vector<Key> verify_keys = {});
  // For verifying others' tokens (e.g. a provider's JWKS): no signing key.
  static KeySetResult verify_only(std::vector<Key> keys);

  const Key* signing_key() const;          // null in a verify-only set
  const Key* find(std::string_view kid) const;  // null for an unknown kid
  const std::map<std::string, Key, std::less<>>& keys() const { return keys_; }

 private:
  KeySet() = default;
  static KeySetResult add_all(KeySet set, std::vector<Key> keys);

  std::map<std::string, Key, std::less<>> keys_;
  std::string signing_kid_;  // empty in a verify-only set
};

struct KeySetResult {
  std::optional<KeySet> key_set;
  std::string error;
};

}  // namespace latchkey::jwt
