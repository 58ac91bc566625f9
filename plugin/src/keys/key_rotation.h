// Rotating signing keys (the `latchkey-auth keys` commands): add a standby key, activate one (the
// active key before it retires in the same transaction), retire a standby key. Knows nothing of the
// command line; expected refusals come back as an error text for the operator.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "jwt/algorithm.h"
#include "keys/key_encryption.h"
#include "keys/signing_key_store.h"
#include "store/database.h"

namespace latchkey::keys {

struct RotationResult {
  std::string kid;    // the key concerned (the new one for add)
  std::string error;  // empty on success; one line, never key material
  bool ok() const { return error.empty(); }
};

class KeyRotation {
 public:
  using Clock = std::function<std::int64_t()>;  // epoch seconds
  KeyRotation(store::Database& db, KeyEncryption encryption, Clock clock);

  std::vector<StoredKey> list();
  RotationResult add(jwt::Algorithm algorithm);
  RotationResult activate(const std::string& kid);
  RotationResult retire(const std::string& kid);

  // Where key.added / key.activated / key.retired go (CONTRACT §9); none when never set.
  void set_audit(audit::AuditLog* log) { audit_ = log; }

 private:
  // Empty when every stored key decrypts under this encryption key. A key added under another one
  // would make every host fail to load the keys, so no change is made without this check.
  std::string check_encryption_key(const std::vector<StoredKey>& keys) const;

  store::Database& db_;
  const KeyEncryption encryption_;
  const Clock clock_;
  audit::AuditLog* audit_ = nullptr;
};

}  // namespace latchkey::keys
