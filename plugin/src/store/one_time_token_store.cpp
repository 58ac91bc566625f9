// OneTimeTokenStore: SQL for one_time_tokens.
#include "store/one_time_token_store.h"

#include <optional>

#include "store/sql_values.h"

namespace latchkey::store {
namespace {

std::string purpose_name(OneTimePurpose purpose) { return purpose == OneTimePurpose::reset ? "reset" : "confirm"; }

OneTimeResult inspect(soci::session& sql, const std::string& hash, const std::string& purpose, long long now) {
    OneTimeResult result;
    long long expires_at = 0, used_at = 0;
    soci::indicator used_ind = soci::i_ok;
    sql << "SELECT user_id, expires_at, used_at FROM one_time_tokens WHERE token_hash = :hash AND purpose = :purpose",
        soci::into(result.user_id), soci::into(expires_at), soci::into(used_at, used_ind), soci::use(hash), soci::use(purpose);
    if (!sql.got_data()) return {};
    if (used_ind == soci::i_ok)
        result.outcome = OneTimeOutcome::used;
    else if (now >= expires_at)
        result.outcome = OneTimeOutcome::expired;
    else
        result.outcome = OneTimeOutcome::valid;
    return result;
}

}  // namespace

void OneTimeTokenStore::create(const NewOneTimeToken& token) {
    const std::string purpose = purpose_name(token.purpose);
    const long long created_at = token.created_at, expires_at = token.expires_at;
    db_.run([&](soci::session& sql) {
        sql << "INSERT INTO one_time_tokens (token_hash, user_id, purpose, created_at, expires_at) "
               "VALUES (:hash, :user_id, :purpose, :created_at, :expires_at)",
            soci::use(token.token_hash), soci::use(token.user_id), soci::use(purpose), soci::use(created_at),
            soci::use(expires_at);
    });
}

OneTimeResult OneTimeTokenStore::consume(std::string_view token_hash, OneTimePurpose purpose, std::int64_t now) {
    const std::string hash(token_hash), name = purpose_name(purpose);
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        soci::statement st = (sql.prepare << "UPDATE one_time_tokens SET used_at = :now WHERE token_hash = :hash "
                                             "AND purpose = :purpose AND used_at IS NULL AND expires_at > :now2",
                              soci::use(at), soci::use(hash), soci::use(name), soci::use(at));
        st.execute(true);
        // Read the count before any other statement: MySQL keeps one per connection.
        const bool won = st.get_affected_rows() == 1;
        OneTimeResult result = inspect(sql, hash, name, at);
        if (won) result.outcome = OneTimeOutcome::valid;
        else if (result.outcome == OneTimeOutcome::valid) result.outcome = OneTimeOutcome::used;  // lost a race
        return result;
    });
}

OneTimeResult OneTimeTokenStore::check(std::string_view token_hash, OneTimePurpose purpose, std::int64_t now) {
    const std::string hash(token_hash), name = purpose_name(purpose);
    return db_.run([&](soci::session& sql) { return inspect(sql, hash, name, now); });
}

std::int64_t OneTimeTokenStore::invalidate_for_user(std::string_view user_id, OneTimePurpose purpose, std::int64_t now) {
    const std::string user(user_id), name = purpose_name(purpose);
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        soci::statement st = (sql.prepare << "UPDATE one_time_tokens SET used_at = :now WHERE user_id = :user_id "
                                             "AND purpose = :purpose AND used_at IS NULL",
                              soci::use(at), soci::use(user), soci::use(name));
        st.execute(true);
        return static_cast<std::int64_t>(st.get_affected_rows());
    });
}

}  // namespace latchkey::store
