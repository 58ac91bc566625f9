// What a host signs and verifies with at one moment: a key set and its JWKS, immutable, swapped
// whole when the keys change (LiveKeys). Built from config keys, or from the signing_keys rows.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "jwt/key_set.h"
#include "keys/key_encryption.h"
#include "keys/signing_key_store.h"

namespace latchkey::keys {

struct KeySnapshot {
  jwt::KeySet keys;
  std::string jwks_json;  // the public parts, served at /.well-known/jwks.json
};

std::shared_ptr<const KeySnapshot> make_snapshot(jwt::KeySet keys);

enum class SnapshotError {
  none,
  no_active_key,   // nothing to sign with: the operator has to add and activate a key
  cannot_decrypt,  // tokens.key_encryption_key is not the one the key was added with (or the row changed)
  bad_key,         // decrypted, but not a key of its algorithm
};

struct SnapshotResult {
  std::shared_ptr<const KeySnapshot> snapshot;  // set when error is none
  SnapshotError error = SnapshotError::none;
  std::string message;  // one line for an operator; never holds key material
};

// The key a row holds, decrypted; `error` tells decryption from parsing failures.
struct OpenedKey {
  std::optional<jwt::Key> key;
  SnapshotError error = SnapshotError::none;
  std::string message;
};
OpenedKey open_stored_key(const StoredKey& row, const KeyEncryption& encryption);

// The active key signs; standby keys and retired keys retired less than `retired_kept` ago verify.
// Every row is decrypted, so a wrong encryption key shows at once, whichever key it concerns.
SnapshotResult build_snapshot(const std::vector<StoredKey>& rows, const KeyEncryption& encryption,
                              std::int64_t now, std::chrono::seconds retired_kept);

}  // namespace latchkey::keys
