// TotpFactorStore: SQL for totp_factors.
#include "store/totp_factor_store.h"

#include "store/sql_values.h"

namespace latchkey::store {

std::optional<TotpFactor> TotpFactorStore::find(std::string_view user_id) {
    const std::string key(user_id);
    return db_.run([&](soci::session& sql) -> std::optional<TotpFactor> {
        TotpFactor factor;
        long long created_at = 0, enabled_at = 0, last_used_step = 0;
        soci::indicator enabled_ind = soci::i_ok, step_ind = soci::i_ok;
        sql << "SELECT user_id, secret_encrypted, created_at, enabled_at, last_used_step FROM totp_factors "
               "WHERE user_id = :user_id",
            soci::into(factor.user_id), soci::into(factor.secret_encrypted), soci::into(created_at),
            soci::into(enabled_at, enabled_ind), soci::into(last_used_step, step_ind), soci::use(key);
        if (!sql.got_data()) return std::nullopt;
        factor.created_at = created_at;
        factor.enabled_at = nullable(enabled_at, enabled_ind);
        factor.last_used_step = nullable(last_used_step, step_ind);
        return factor;
    });
}

bool TotpFactorStore::is_enabled(std::string_view user_id) {
    const std::string key(user_id);
    return db_.run([&](soci::session& sql) {
        int count = 0;
        sql << "SELECT COUNT(*) FROM totp_factors WHERE user_id = :user_id AND enabled_at IS NOT NULL",
            soci::into(count), soci::use(key);
        return count > 0;
    });
}

bool TotpFactorStore::set_up(std::string_view user_id, const std::string& secret_encrypted, std::int64_t now) {
    const std::string key(user_id);
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        execute_once(sql, "DELETE FROM totp_factors WHERE user_id = :user_id AND enabled_at IS NULL", soci::use(key));
        long long enabled = 0;
        sql << "SELECT COUNT(*) FROM totp_factors WHERE user_id = :user_id", soci::into(enabled), soci::use(key);
        if (enabled > 0) return false;
        // Unless a concurrent setup got there first (its secret stays; this one's first code will not match).
        execute_once(sql,
                     "INSERT INTO totp_factors (user_id, secret_encrypted, created_at) "
                     "VALUES (:user_id, :secret, :created_at)" + if_absent(db_.backend(), "user_id"),
                     soci::use(key), soci::use(secret_encrypted), soci::use(at));
        return true;
    });
}

bool TotpFactorStore::enable(std::string_view user_id, std::int64_t now, std::int64_t step) {
    const std::string key(user_id);
    const long long at = now, used = step;
    return db_.run([&](soci::session& sql) {
        return execute_once(sql,
                            "UPDATE totp_factors SET enabled_at = :now, last_used_step = :step "
                            "WHERE user_id = :user_id AND enabled_at IS NULL",
                            soci::use(at), soci::use(used), soci::use(key)) == 1;
    });
}

bool TotpFactorStore::use_step(std::string_view user_id, std::int64_t step) {
    const std::string key(user_id);
    const long long used = step;
    return db_.run([&](soci::session& sql) {
        return execute_once(sql,
                            "UPDATE totp_factors SET last_used_step = :step WHERE user_id = :user_id "
                            "AND enabled_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < :step2)",
                            soci::use(used), soci::use(key), soci::use(used)) == 1;
    });
}

bool TotpFactorStore::remove(std::string_view user_id) {
    const std::string key(user_id);
    return db_.run([&](soci::session& sql) {
        return execute_once(sql, "DELETE FROM totp_factors WHERE user_id = :user_id", soci::use(key)) == 1;
    });
}

}  // namespace latchkey::store
