// MfaChallengeStore: SQL for mfa_challenges.
#include "store/mfa_challenge_store.h"

#include "store/sql_values.h"

namespace latchkey::store {

void MfaChallengeStore::create(const MfaChallenge& challenge) {
    const long long created_at = challenge.created_at, expires_at = challenge.expires_at;
    db_.run([&](soci::session& sql) {
        sql << "INSERT INTO mfa_challenges (token_hash, user_id, first_factor, created_at, expires_at) "
               "VALUES (:hash, :user_id, :first_factor, :created_at, :expires_at)",
            soci::use(challenge.token_hash), soci::use(challenge.user_id), soci::use(challenge.first_factor),
            soci::use(created_at), soci::use(expires_at);
    });
}

std::optional<MfaChallenge> MfaChallengeStore::find_live(std::string_view token_hash, std::int64_t now) {
    const std::string hash(token_hash);
    const long long at = now;
    return db_.run([&](soci::session& sql) -> std::optional<MfaChallenge> {
        MfaChallenge challenge;
        long long created_at = 0, expires_at = 0;
        sql << "SELECT token_hash, user_id, first_factor, created_at, expires_at FROM mfa_challenges "
               "WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now",
            soci::into(challenge.token_hash), soci::into(challenge.user_id), soci::into(challenge.first_factor),
            soci::into(created_at), soci::into(expires_at), soci::use(hash), soci::use(at);
        if (!sql.got_data()) return std::nullopt;
        challenge.created_at = created_at;
        challenge.expires_at = expires_at;
        return challenge;
    });
}

bool MfaChallengeStore::consume(std::string_view token_hash, std::int64_t now) {
    const std::string hash(token_hash);
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        return execute_once(sql,
                            "UPDATE mfa_challenges SET used_at = :now WHERE token_hash = :hash AND used_at IS NULL "
                            "AND expires_at > :now2",
                            soci::use(at), soci::use(hash), soci::use(at)) == 1;
    });
}

std::int64_t MfaChallengeStore::purge_expired(std::int64_t now) {
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        return static_cast<std::int64_t>(
            execute_once(sql, "DELETE FROM mfa_challenges WHERE expires_at <= :now", soci::use(at)));
    });
}

}  // namespace latchkey::store
