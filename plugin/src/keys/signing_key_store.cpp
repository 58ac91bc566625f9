// SigningKeyStore: SQL for signing_keys. State changes are guarded in their WHERE clause, so a
// concurrent change makes them affect no row instead of skipping a state.
#include "keys/signing_key_store.h"

#include "store/sql_values.h"

namespace latchkey::keys {
namespace {

const std::string key_columns =
    "SELECT kid, algorithm, state, public_key, private_key_encrypted, created_at, activated_at, retired_at "
    "FROM signing_keys";

// The rows of `where`, which names :kid when `kid` is given.
std::vector<StoredKey> select_keys(soci::session& sql, const std::string& where, const std::optional<std::string>& kid) {
  StoredKey row;
  std::string state, public_key;
  long long created_at = 0, activated_at = 0, retired_at = 0;
  soci::indicator public_ind = soci::i_ok, activated_ind = soci::i_ok, retired_ind = soci::i_ok;
  soci::statement st(sql);
  st.exchange(soci::into(row.kid));
  st.exchange(soci::into(row.algorithm));
  st.exchange(soci::into(state));
  st.exchange(soci::into(public_key, public_ind));
  st.exchange(soci::into(row.private_key_encrypted));
  st.exchange(soci::into(created_at));
  st.exchange(soci::into(activated_at, activated_ind));
  st.exchange(soci::into(retired_at, retired_ind));
  if (kid) st.exchange(soci::use(*kid));
  st.alloc();
  st.prepare(key_columns + where);
  st.define_and_bind();
  st.execute();
  std::vector<StoredKey> keys;
  while (st.fetch()) {
    StoredKey key = row;
    const auto parsed = parse_key_state(state);
    if (!parsed) throw std::runtime_error("signing key " + key.kid + " has an unknown state '" + state + "'");
    key.state = *parsed;
    key.public_key = store::nullable(public_key, public_ind);
    key.created_at = created_at;
    key.activated_at = store::nullable(activated_at, activated_ind);
    key.retired_at = store::nullable(retired_at, retired_ind);
    keys.push_back(std::move(key));
  }
  return keys;
}

}  // namespace

std::vector<StoredKey> SigningKeyStore::list() {
  return db_.run([&](soci::session& sql) { return select_keys(sql, " ORDER BY created_at, kid", std::nullopt); });
}

std::optional<StoredKey> SigningKeyStore::find(const std::string& kid) {
  if (kid.empty()) return std::nullopt;
  auto keys = db_.run([&](soci::session& sql) { return select_keys(sql, " WHERE kid = :kid", kid); });
  if (keys.empty()) return std::nullopt;
  return std::move(keys.front());
}

void SigningKeyStore::insert(const StoredKey& key) {
  const long long created = key.created_at;
  const std::string state(key_state_name(KeyState::standby));
  soci::indicator public_ind = key.public_key ? soci::i_ok : soci::i_null;
  const std::string public_key = key.public_key.value_or("");
  db_.run([&](soci::session& sql) {
    sql << "INSERT INTO signing_keys (kid, algorithm, state, public_key, private_key_encrypted, created_at) "
           "VALUES (:kid, :algorithm, :state, :public_key, :private_key_encrypted, :created_at)",
        soci::use(key.kid), soci::use(key.algorithm), soci::use(state), soci::use(public_key, public_ind),
        soci::use(key.private_key_encrypted), soci::use(created);
  });
}

std::int64_t SigningKeyStore::retire_active(std::int64_t now) {
  const long long at = now;
  return db_.run([&](soci::session& sql) {
    return store::execute_once(sql, "UPDATE signing_keys SET state = 'retired', retired_at = :now WHERE state = 'active'",
                               soci::use(at));
  });
}

bool SigningKeyStore::activate(const std::string& kid, std::int64_t now) {
  const long long at = now;
  return db_.run([&](soci::session& sql) {
    return store::execute_once(sql,
                               "UPDATE signing_keys SET state = 'active', activated_at = :now "
                               "WHERE kid = :kid AND state = 'standby'",
                               soci::use(at), soci::use(kid)) == 1;
  });
}

bool SigningKeyStore::retire(const std::string& kid, std::int64_t now) {
  const long long at = now;
  return db_.run([&](soci::session& sql) {
    return store::execute_once(sql,
                               "UPDATE signing_keys SET state = 'retired', retired_at = :now "
                               "WHERE kid = :kid AND state = 'standby'",
                               soci::use(at), soci::use(kid)) == 1;
  });
}

}  // namespace latchkey::keys
