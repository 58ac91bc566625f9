// Building key sets: every kid unique, the signing key able to sign.
#include "jwt/key_set.h"

namespace latchkey::jwt {

KeySetResult KeySet::add_all(KeySet set, std::vector<Key> keys) {
  for (Key& key : keys) {
    std::string kid = key.kid();
    if (kid.empty()) return {std::nullopt, "a key has an empty kid"};
    if (!set.keys_.emplace(kid, std::move(key)).second) {
      return {std::nullopt, "two keys share the kid \"" + kid + "\""};
    }
  }
  return {std::move(set), {}};
}

KeySetResult KeySet::create(Key signing_key, std::vector<Key> verify_keys) {
  if (!signing_key.can_sign()) {
    return {std::nullopt, "the signing key \"" + signing_key.kid() + "\" has no private part"};
  }
  KeySet set;
  set.signing_kid_ = signing_key.kid();
  verify_keys.insert(verify_keys.begin(), std::move(signing_key));
  return add_all(std::move(set), std::move(verify_keys));
}

KeySetResult KeySet::verify_only(std::vector<Key> keys) {
  return add_all(KeySet(), std::move(keys));
}

const Key* KeySet::signing_key() const {
  return signing_kid_.empty() ? nullptr : find(signing_kid_);
}

const Key* KeySet::find(std::string_view kid) const {
  const auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace latchkey::jwt
