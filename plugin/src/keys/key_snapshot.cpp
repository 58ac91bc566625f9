// Turning signing_keys rows into a key set: decrypt, load with the row's own algorithm and kid,
// drop retired keys whose last token has expired.
#include "keys/key_snapshot.h"

#include "jwt/algorithm.h"
#include "jwt/jwks.h"

namespace latchkey::keys {

std::shared_ptr<const KeySnapshot> make_snapshot(jwt::KeySet keys) {
  std::string jwks = jwt::jwks_json(keys);
  return std::make_shared<const KeySnapshot>(KeySnapshot{std::move(keys), std::move(jwks)});
}

OpenedKey open_stored_key(const StoredKey& row, const KeyEncryption& encryption) {
  const auto plaintext = encryption.decrypt(row.kid, row.private_key_encrypted);
  if (!plaintext) {
    return {std::nullopt, SnapshotError::cannot_decrypt,
            "cannot decrypt signing key " + row.kid +
                ": tokens.key_encryption_key is not the key it was added with (or the row was changed)"};
  }
  const std::string_view text(reinterpret_cast<const char*>(plaintext->data()), plaintext->size());
  const auto algorithm = jwt::parse_algorithm(row.algorithm);
  jwt::KeyResult loaded;
  if (!algorithm) loaded.error = "unknown algorithm " + row.algorithm;
  else if (*algorithm == jwt::Algorithm::HS256) loaded = jwt::Key::from_hmac_secret(text, row.kid);
  else loaded = jwt::Key::from_private_pem(text, row.kid);
  if (loaded.key && loaded.key->algorithm() != *algorithm) loaded = {std::nullopt, "not a " + row.algorithm + " key"};
  if (!loaded.key) return {std::nullopt, SnapshotError::bad_key, "signing key " + row.kid + ": " + loaded.error};
  return {std::move(loaded.key), SnapshotError::none, {}};
}

SnapshotResult build_snapshot(const std::vector<StoredKey>& rows, const KeyEncryption& encryption,
                              std::int64_t now, std::chrono::seconds retired_kept) {
  std::optional<jwt::Key> signing;
  std::vector<jwt::Key> verifying;
  for (const StoredKey& row : rows) {
    if (row.state == KeyState::retired && row.retired_at.value_or(0) + retired_kept.count() <= now) continue;
    OpenedKey opened = open_stored_key(row, encryption);
    if (!opened.key) return {nullptr, opened.error, opened.message};
    if (row.state == KeyState::active) signing = std::move(opened.key);
    else verifying.push_back(std::move(*opened.key));
  }
  if (!signing) {
    return {nullptr, SnapshotError::no_active_key,
            "no active signing key in the database: run `latchkey-auth keys add --algorithm EdDSA` and then "
            "`latchkey-auth keys activate KID`"};
  }
  jwt::KeySetResult set = jwt::KeySet::create(std::move(*signing), std::move(verifying));
  if (!set.key_set) return {nullptr, SnapshotError::bad_key, set.error};
  return {make_snapshot(std::move(*set.key_set)), SnapshotError::none, {}};
}

}  // namespace latchkey::keys
