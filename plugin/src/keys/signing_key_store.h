// The signing_keys table: rows as they are stored (private part still encrypted). Knows SQL, not
// Botan; KeyRotation decides what may change, build_snapshot what the rows mean.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keys/key_state.h"
#include "store/database.h"

namespace latchkey::keys {

struct StoredKey {
  std::string kid;
  std::string algorithm;               // "HS256", "EdDSA" or "ES256"
  KeyState state = KeyState::standby;
  std::optional<std::string> public_key;  // SPKI PEM; absent for HS256
  std::string private_key_encrypted;      // KeyEncryption's text
  std::int64_t created_at = 0;            // epoch seconds, as every time in the store
  std::optional<std::int64_t> activated_at;
  std::optional<std::int64_t> retired_at;
};

class SigningKeyStore {
 public:
  explicit SigningKeyStore(store::Database& db) : db_(db) {}

  std::vector<StoredKey> list();  // oldest first
  std::optional<StoredKey> find(const std::string& kid);
  void insert(const StoredKey& key);  // as a standby key
  // The changes below run in the caller's transaction (KeyRotation): each is guarded in its WHERE
  // clause, so a concurrent change makes it affect no row instead of skipping a state.
  // active -> retired at `now`; how many keys changed (0 or 1).
  std::int64_t retire_active(std::int64_t now);
  // standby -> active at `now`; false when `kid` is not standby (any more). The unique index
  // refuses a second active key: retire_active first, in the same transaction.
  bool activate(const std::string& kid, std::int64_t now);
  // standby -> retired at `now`; false when `kid` is not standby (any more).
  bool retire(const std::string& kid, std::int64_t now);

 private:
  store::Database& db_;
};

}  // namespace latchkey::keys
