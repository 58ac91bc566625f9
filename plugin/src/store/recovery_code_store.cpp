// RecoveryCodeStore: SQL for recovery_codes.
#include "store/recovery_code_store.h"

#include "store/sql_values.h"

namespace latchkey::store {

void RecoveryCodeStore::replace(std::string_view user_id, const std::vector<std::string>& code_hashes,
                                std::int64_t now) {
    const std::string key(user_id);
    const long long at = now;
    db_.run([&](soci::session& sql) {
        execute_once(sql, "DELETE FROM recovery_codes WHERE user_id = :user_id", soci::use(key));
        for (const std::string& hash : code_hashes) {
            sql << "INSERT INTO recovery_codes (code_hash, user_id, created_at) VALUES (:hash, :user_id, :created_at)",
                soci::use(hash), soci::use(key), soci::use(at);
        }
    });
}

bool RecoveryCodeStore::consume(std::string_view user_id, std::string_view code_hash, std::int64_t now) {
    const std::string key(user_id), hash(code_hash);
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        return execute_once(sql,
                            "UPDATE recovery_codes SET used_at = :now WHERE code_hash = :hash AND user_id = :user_id "
                            "AND used_at IS NULL",
                            soci::use(at), soci::use(hash), soci::use(key)) == 1;
    });
}

std::int64_t RecoveryCodeStore::remaining(std::string_view user_id) {
    const std::string key(user_id);
    return db_.run([&](soci::session& sql) {
        long long count = 0;
        sql << "SELECT COUNT(*) FROM recovery_codes WHERE user_id = :user_id AND used_at IS NULL", soci::into(count),
            soci::use(key);
        return static_cast<std::int64_t>(count);
    });
}

void RecoveryCodeStore::remove_all(std::string_view user_id) {
    const std::string key(user_id);
    db_.run([&](soci::session& sql) {
        execute_once(sql, "DELETE FROM recovery_codes WHERE user_id = :user_id", soci::use(key));
    });
}

}  // namespace latchkey::store
