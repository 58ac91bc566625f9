// Each change is one transaction, with its audit event (key.added / key.activated / key.retired).
#include "keys/key_rotation.h"

#include "keys/key_snapshot.h"
#include "keys/new_signing_key.h"

#include <algorithm>

namespace latchkey::keys {
namespace {

struct ChangedMeanwhile {};  // thrown inside a transaction to roll it back

std::string unknown_kid(const std::string& kid) { return "no signing key with kid " + kid + " (see `keys list`)"; }

}  // namespace

KeyRotation::KeyRotation(store::Database& db, KeyEncryption encryption, Clock clock)
    : db_(db), encryption_(std::move(encryption)), clock_(std::move(clock)) {}

std::vector<StoredKey> KeyRotation::list() { return SigningKeyStore(db_).list(); }

std::string KeyRotation::check_encryption_key(const std::vector<StoredKey>& keys) const {
  for (const StoredKey& key : keys) {
    const OpenedKey opened = open_stored_key(key, encryption_);
    if (!opened.key) return opened.message;
  }
  return {};
}

RotationResult KeyRotation::add(jwt::Algorithm algorithm) {
  SigningKeyStore store(db_);
  if (std::string error = check_encryption_key(store.list()); !error.empty()) return {{}, error};
  const StoredKey key = generate_signing_key(algorithm, encryption_, clock_());
  audit::Pending events;
  db_.transaction([&] {
    store.insert(key);
    audit::write(audit_, events, "key.added", {}, {}, audit::detail({{"kid", key.kid}, {"algorithm", jwt::algorithm_name(algorithm)}}));
  });
  audit::announce(audit_, events);
  return {key.kid, {}};
}

RotationResult KeyRotation::activate(const std::string& kid) {
  SigningKeyStore store(db_);
  const std::vector<StoredKey> keys = store.list();
  const auto key = std::find_if(keys.begin(), keys.end(), [&](const StoredKey& k) { return k.kid == kid; });
  if (key == keys.end()) return {kid, unknown_kid(kid)};
  if (const TransitionError refused = check_activate(key->state); refused != TransitionError::none) {
    return {kid, transition_message(refused, kid)};
  }
  if (std::string error = check_encryption_key(keys); !error.empty()) return {kid, error};
  const std::int64_t now = clock_();
  audit::Pending events;
  try {
    const auto previous = std::find_if(keys.begin(), keys.end(), [](const StoredKey& k) { return k.state == KeyState::active; });
    db_.transaction([&] {
      store.retire_active(now);
      if (!store.activate(kid, now)) throw ChangedMeanwhile{};
      if (previous != keys.end())
        audit::write(audit_, events, "key.retired", {}, {}, audit::detail({{"kid", previous->kid}, {"replaced_by", kid}}));
      audit::write(audit_, events, "key.activated", {}, {}, audit::detail({{"kid", kid}}));
    });
  } catch (const ChangedMeanwhile&) {
    return {kid, "key " + kid + " changed state meanwhile (another `keys` command?); nothing was changed"};
  } catch (const soci::soci_error& error) {
    // The one-active-key index refused: another activation committed between our two statements.
    return {kid, "another key was activated at the same time; nothing was changed (see `keys list`): " +
                     std::string(error.what())};
  }
  audit::announce(audit_, events);
  return {kid, {}};
}

RotationResult KeyRotation::retire(const std::string& kid) {
  SigningKeyStore store(db_);
  const std::optional<StoredKey> key = store.find(kid);
  if (!key) return {kid, unknown_kid(kid)};
  if (const TransitionError refused = check_retire(key->state); refused != TransitionError::none) {
    return {kid, transition_message(refused, kid)};
  }
  audit::Pending events;
  try {
    db_.transaction([&] {
      if (!store.retire(kid, clock_())) throw ChangedMeanwhile{};
      audit::write(audit_, events, "key.retired", {}, {}, audit::detail({{"kid", kid}}));
    });
  } catch (const ChangedMeanwhile&) {
    return {kid, "key " + kid + " changed state meanwhile (another `keys` command?); nothing was changed"};
  }
  audit::announce(audit_, events);
  return {kid, {}};
}

}  // namespace latchkey::keys
