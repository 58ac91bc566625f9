// UserStore: SQL for users and user_roles.
#include "store/user_store.h"

#include <algorithm>
#include <map>

#include "store/email.h"
#include "store/sql_values.h"
#include "store/token_hash.h"

namespace latchkey::store {
namespace {

const std::string user_columns = "SELECT id, email, password_hash, confirmed_at, active, created_at FROM users";

// Every user, oldest first (roles not filled in).
std::vector<User> select_all_users(soci::session& sql) {
    User row;
    std::string password_hash;
    long long confirmed_at = 0, created_at = 0;
    int active = 0;
    soci::indicator password_ind = soci::i_ok, confirmed_ind = soci::i_ok;
    soci::statement st = (sql.prepare << user_columns + " ORDER BY created_at, id", soci::into(row.id), soci::into(row.email),
                          soci::into(password_hash, password_ind), soci::into(confirmed_at, confirmed_ind),
                          soci::into(active), soci::into(created_at));
    st.execute();
    std::vector<User> users;
    while (st.fetch()) {
        User user = row;
        user.password_hash = nullable(password_hash, password_ind);
        user.confirmed_at = nullable(confirmed_at, confirmed_ind);
        user.active = active != 0;
        user.created_at = created_at;
        users.push_back(std::move(user));
    }
    return users;
}

// Sorted. A one-time query fills a vector of a given size in one round trip (a rowset is a prepared
// statement: three on PostgreSQL). A full vector may have left rows out: then ask with more room.
std::vector<std::string> roles_of(soci::session& sql, const std::string& id) {
    std::vector<std::string> roles;
    for (std::size_t room = 8;; room *= 2) {
        roles.resize(room);
        sql << "SELECT role FROM user_roles WHERE user_id = :id", soci::into(roles), soci::use(id);
        if (roles.size() < room) break;
    }
    std::sort(roles.begin(), roles.end());
    return roles;
}

// `where` matches at most one row (a unique column). One-time queries, as in roles_of.
std::optional<User> find_one(soci::session& sql, const std::string& where, const std::string& value) {
    User user;
    std::string password_hash;
    long long confirmed_at = 0, created_at = 0;
    int active = 0;
    soci::indicator password_ind = soci::i_ok, confirmed_ind = soci::i_ok;
    sql << user_columns + where, soci::into(user.id), soci::into(user.email), soci::into(password_hash, password_ind),
        soci::into(confirmed_at, confirmed_ind), soci::into(active), soci::into(created_at), soci::use(value);
    if (!sql.got_data()) return std::nullopt;
    user.password_hash = nullable(password_hash, password_ind);
    user.confirmed_at = nullable(confirmed_at, confirmed_ind);
    user.active = active != 0;
    user.created_at = created_at;
    user.roles = roles_of(sql, user.id);
    return user;
}

bool user_exists(soci::session& sql, const std::string& id) {
    int count = 0;
    sql << "SELECT COUNT(*) FROM users WHERE id = :id", soci::into(count), soci::use(id);
    return count > 0;
}

}  // namespace

CreateUserResult UserStore::create(const NewUser& user) {
    const std::string email = normalise_email(user.email);
    const std::string id = new_id();
    return db_.transaction([&] {
        return db_.run([&](soci::session& sql) -> CreateUserResult {
            const std::string password_hash = user.password_hash.value_or("");
            soci::indicator password_ind = user.password_hash ? soci::i_ok : soci::i_null;
            const long long confirmed_at = user.confirmed_at.value_or(0);
            soci::indicator confirmed_ind = user.confirmed_at ? soci::i_ok : soci::i_null;
            const int active = user.active ? 1 : 0;
            const long long created_at = user.created_at;
            sql << "INSERT INTO users (id, email, password_hash, confirmed_at, active, created_at) "
                   "VALUES (:id, :email, :password_hash, :confirmed_at, :active, :created_at)" +
                       if_absent(db_.backend(), "email"),
                soci::use(id), soci::use(email), soci::use(password_hash, password_ind),
                soci::use(confirmed_at, confirmed_ind), soci::use(active), soci::use(created_at);
            std::string stored_id;
            sql << "SELECT id FROM users WHERE email = :email", soci::into(stored_id), soci::use(email);
            if (stored_id != id) return {CreateUserOutcome::duplicate_email, stored_id};
            for (const std::string& role : user.roles)
                sql << "INSERT INTO user_roles (user_id, role) VALUES (:id, :role)" + if_absent(db_.backend(), "user_id, role"),
                    soci::use(id), soci::use(role);
            return {CreateUserOutcome::created, id};
        });
    });
}

std::optional<User> UserStore::find_by_email(std::string_view email) {
    const std::string normalised = normalise_email(email);
    return db_.run([&](soci::session& sql) { return find_one(sql, " WHERE email = :email", normalised); });
}

std::optional<User> UserStore::find_by_id(std::string_view id) {
    const std::string key(id);
    return db_.run([&](soci::session& sql) { return find_one(sql, " WHERE id = :id", key); });
}

std::vector<User> UserStore::list() {
    return db_.run([&](soci::session& sql) {
        auto users = select_all_users(sql);
        std::map<std::string, std::vector<std::string>> roles;
        std::string user_id, role;
        soci::statement st = (sql.prepare << "SELECT user_id, role FROM user_roles ORDER BY user_id, role",
                              soci::into(user_id), soci::into(role));
        st.execute();
        while (st.fetch()) roles[user_id].push_back(role);
        for (auto& user : users) user.roles = roles[user.id];
        return users;
    });
}

bool UserStore::set_active(std::string_view id, bool active) {
    const std::string key(id);
    const int value = active ? 1 : 0;
    return db_.run([&](soci::session& sql) {
        return execute_once(sql, "UPDATE users SET active = :active WHERE id = :id", soci::use(value), soci::use(key)) > 0;
    });
}

bool UserStore::add_role(std::string_view id, std::string_view role) {
    const std::string key(id), name(role);
    return db_.transaction([&] {
        return db_.run([&](soci::session& sql) {
            if (!user_exists(sql, key)) return false;
            sql << "INSERT INTO user_roles (user_id, role) VALUES (:id, :role)" + if_absent(db_.backend(), "user_id, role"),
                soci::use(key), soci::use(name);
            return true;
        });
    });
}

bool UserStore::remove_role(std::string_view id, std::string_view role) {
    const std::string key(id), name(role);
    return db_.run([&](soci::session& sql) {
        if (!user_exists(sql, key)) return false;
        sql << "DELETE FROM user_roles WHERE user_id = :id AND role = :role", soci::use(key), soci::use(name);
        return true;
    });
}

bool UserStore::mark_confirmed(std::string_view id, std::int64_t now) {
    const std::string key(id);
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        return execute_once(sql, "UPDATE users SET confirmed_at = COALESCE(confirmed_at, :now) WHERE id = :id",
                            soci::use(at), soci::use(key)) > 0;
    });
}

bool UserStore::set_password_hash(std::string_view id, std::string_view password_hash) {
    const std::string key(id), hash(password_hash);
    return db_.run([&](soci::session& sql) {
        return execute_once(sql, "UPDATE users SET password_hash = :hash WHERE id = :id", soci::use(hash), soci::use(key)) > 0;
    });
}

}  // namespace latchkey::store
