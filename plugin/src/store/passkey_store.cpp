// PasskeyStore: SQL for passkeys.
#include "store/passkey_store.h"

#include "store/sql_values.h"

#include <utility>

namespace latchkey::store {
namespace {

const std::string passkey_columns =
    "SELECT id, user_id, credential_id, public_key, algorithm, sign_count, transports, name, created_at, "
    "last_used_at, flagged_at FROM passkeys";

// The table keeps transports joined by single spaces.
std::string join_transports(const std::vector<std::string>& transports) {
    std::string joined;
    for (const std::string& transport : transports) joined += (joined.empty() ? "" : " ") + transport;
    return joined;
}

std::vector<std::string> split_transports(std::string_view joined) {
    std::vector<std::string> transports;
    while (!joined.empty()) {
        const size_t space = joined.find(' ');
        if (space != 0) transports.emplace_back(joined.substr(0, space));
        if (space == std::string_view::npos) break;
        joined.remove_prefix(space + 1);
    }
    return transports;
}

// uses: the bindings of where's placeholders, in order.
template <typename... Uses>
std::vector<Passkey> select_passkeys(soci::session& sql, const std::string& where, Uses&&... uses) {
    Passkey row;
    std::string transports;
    int algorithm = 0;
    long long sign_count = 0, created_at = 0, last_used_at = 0, flagged_at = 0;
    soci::indicator used_ind = soci::i_ok, flagged_ind = soci::i_ok;
    soci::statement st = ((sql.prepare << passkey_columns + where, soci::into(row.id), soci::into(row.user_id),
                           soci::into(row.credential_id), soci::into(row.public_key), soci::into(algorithm),
                           soci::into(sign_count), soci::into(transports), soci::into(row.name),
                           soci::into(created_at), soci::into(last_used_at, used_ind),
                           soci::into(flagged_at, flagged_ind)),
                          ..., std::forward<Uses>(uses));
    st.execute();
    std::vector<Passkey> passkeys;
    while (st.fetch()) {
        Passkey passkey = row;
        passkey.algorithm = algorithm;
        passkey.sign_count = sign_count;
        passkey.transports = split_transports(transports);
        passkey.created_at = created_at;
        passkey.last_used_at = nullable(last_used_at, used_ind);
        passkey.flagged_at = nullable(flagged_at, flagged_ind);
        passkeys.push_back(std::move(passkey));
    }
    return passkeys;
}

std::optional<Passkey> first(std::vector<Passkey> passkeys) {
    if (passkeys.empty()) return std::nullopt;
    return std::move(passkeys.front());
}

}  // namespace

bool PasskeyStore::insert(const Passkey& passkey) {
    const std::string transports = join_transports(passkey.transports);
    const int algorithm = passkey.algorithm;
    const long long sign_count = passkey.sign_count, created_at = passkey.created_at;
    return db_.run([&](soci::session& sql) {
        // Unless the credential id is taken: no error (it would abort a PostgreSQL transaction).
        execute_once(sql,
                     "INSERT INTO passkeys (id, user_id, credential_id, public_key, algorithm, sign_count, transports, "
                     "name, created_at) VALUES (:id, :user_id, :credential_id, :public_key, :algorithm, :sign_count, "
                     ":transports, :name, :created_at)" + if_absent(db_.backend(), "credential_id"),
                     soci::use(passkey.id), soci::use(passkey.user_id), soci::use(passkey.credential_id),
                     soci::use(passkey.public_key), soci::use(algorithm), soci::use(sign_count), soci::use(transports),
                     soci::use(passkey.name), soci::use(created_at));
        // MariaDB's count for an ignored duplicate is 0 or 1 depending on flags: ask for the row.
        std::string owner_row;
        sql << "SELECT id FROM passkeys WHERE credential_id = :credential_id", soci::into(owner_row),
            soci::use(passkey.credential_id);
        return sql.got_data() && owner_row == passkey.id;
    });
}

std::optional<Passkey> PasskeyStore::find_by_credential_id(std::string_view credential_id) {
    const std::string key(credential_id);
    return first(db_.run([&](soci::session& sql) {
        return select_passkeys(sql, " WHERE credential_id = :credential_id", soci::use(key));
    }));
}

std::optional<Passkey> PasskeyStore::find_for_user(std::string_view id, std::string_view user_id) {
    const std::string key(id), user(user_id);
    return first(db_.run([&](soci::session& sql) {
        return select_passkeys(sql, " WHERE id = :id AND user_id = :user_id", soci::use(key), soci::use(user));
    }));
}

std::vector<Passkey> PasskeyStore::list_for_user(std::string_view user_id) {
    const std::string user(user_id);
    return db_.run([&](soci::session& sql) {
        return select_passkeys(sql, " WHERE user_id = :user_id ORDER BY created_at, id", soci::use(user));
    });
}

std::int64_t PasskeyStore::count_for_user(std::string_view user_id) {
    const std::string user(user_id);
    return db_.run([&](soci::session& sql) {
        long long count = 0;
        sql << "SELECT COUNT(*) FROM passkeys WHERE user_id = :user_id", soci::into(count), soci::use(user);
        return static_cast<std::int64_t>(count);
    });
}

bool PasskeyStore::record_use(std::string_view id, std::int64_t from, std::int64_t to, std::int64_t now) {
    const std::string key(id);
    const long long old_count = from, new_count = to, at = now;
    return db_.run([&](soci::session& sql) {
        if (execute_once(sql,
                         "UPDATE passkeys SET sign_count = :to, last_used_at = :now WHERE id = :id "
                         "AND sign_count = :from AND flagged_at IS NULL",
                         soci::use(new_count), soci::use(at), soci::use(key), soci::use(old_count)) == 1) {
            return true;
        }
        // MariaDB counts changed rows, not matched ones: a counter that stays 0 (authenticators
        // without one) used twice within a second changes nothing, and is still a use.
        if (old_count != new_count) return false;
        long long unchanged = 0;
        sql << "SELECT COUNT(*) FROM passkeys WHERE id = :id AND sign_count = :to AND last_used_at = :now "
               "AND flagged_at IS NULL",
            soci::into(unchanged), soci::use(key), soci::use(new_count), soci::use(at);
        return unchanged == 1;
    });
}

bool PasskeyStore::flag(std::string_view id, std::int64_t now) {
    const std::string key(id);
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        return execute_once(sql, "UPDATE passkeys SET flagged_at = :now WHERE id = :id AND flagged_at IS NULL",
                            soci::use(at), soci::use(key)) == 1;
    });
}

bool PasskeyStore::remove_for_user(std::string_view id, std::string_view user_id) {
    const std::string key(id), user(user_id);
    return db_.run([&](soci::session& sql) {
        return execute_once(sql, "DELETE FROM passkeys WHERE id = :id AND user_id = :user_id", soci::use(key),
                            soci::use(user)) == 1;
    });
}

}  // namespace latchkey::store
