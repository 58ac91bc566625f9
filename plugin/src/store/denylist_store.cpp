// DenylistStore: SQL for access_denylist.
#include "store/denylist_store.h"

#include <string>

#include "store/sql_values.h"

namespace latchkey::store {

void DenylistStore::add(std::string_view jti, std::int64_t expires_at) {
    const std::string key(jti);
    const long long until = expires_at;
    db_.run([&](soci::session& sql) {
        sql << "INSERT INTO access_denylist (jti, expires_at) VALUES (:jti, :expires_at)" + if_absent(db_.backend(), "jti"),
            soci::use(key), soci::use(until);
    });
}

bool DenylistStore::contains(std::string_view jti) {
    const std::string key(jti);
    return db_.run([&](soci::session& sql) {
        int count = 0;
        sql << "SELECT COUNT(*) FROM access_denylist WHERE jti = :jti", soci::into(count), soci::use(key);
        return count > 0;
    });
}

std::int64_t DenylistStore::purge_expired(std::int64_t now) {
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        soci::statement st = (sql.prepare << "DELETE FROM access_denylist WHERE expires_at <= :now", soci::use(at));
        st.execute(true);
        return static_cast<std::int64_t>(st.get_affected_rows());
    });
}

}  // namespace latchkey::store
