// IdentityStore: SQL for identities.
#include "store/identity_store.h"

#include "store/sql_values.h"

namespace latchkey::store {

std::optional<std::string> IdentityStore::find_user_id(std::string_view provider, std::string_view subject) {
    const std::string p(provider), s(subject);
    return db_.run([&](soci::session& sql) -> std::optional<std::string> {
        std::string user_id;
        soci::indicator ind = soci::i_null;
        sql << "SELECT user_id FROM identities WHERE provider = :provider AND subject = :subject",
            soci::into(user_id, ind), soci::use(p), soci::use(s);
        if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
        return user_id;
    });
}

std::string IdentityStore::link(std::string_view provider, std::string_view subject, std::string_view user_id,
                                std::int64_t now) {
    const std::string p(provider), s(subject), u(user_id);
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        sql << "INSERT INTO identities (provider, subject, user_id, created_at) "
               "VALUES (:provider, :subject, :user_id, :created_at)" + if_absent(db_.backend(), "provider, subject"),
            soci::use(p), soci::use(s), soci::use(u), soci::use(at);
        std::string owner;
        sql << "SELECT user_id FROM identities WHERE provider = :provider AND subject = :subject",
            soci::into(owner), soci::use(p), soci::use(s);
        return owner;
    });
}

bool IdentityStore::forget_unconfirmed_password(std::string_view user_id, std::int64_t now) {
    const std::string id(user_id);
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        soci::statement st = (sql.prepare << "UPDATE users SET password_hash = NULL, confirmed_at = :now "
                                             "WHERE id = :id AND confirmed_at IS NULL",
                              soci::use(at), soci::use(id));
        st.execute(true);
        return st.get_affected_rows() > 0;
    });
}

}  // namespace latchkey::store
