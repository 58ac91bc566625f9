// WebAuthnChallengeStore: SQL for webauthn_challenges.
#include "store/webauthn_challenge_store.h"

#include "store/sql_values.h"

namespace latchkey::store {
namespace {

// The purpose column's values (its CHECK constraint names the same two).
std::string purpose_text(ChallengePurpose purpose) {
    return purpose == ChallengePurpose::registration ? "register" : "authenticate";
}

}  // namespace

void WebAuthnChallengeStore::create(const WebAuthnChallenge& challenge) {
    const std::string purpose = purpose_text(challenge.purpose);
    const std::string user_id = challenge.user_id.value_or("");
    soci::indicator user_ind = challenge.user_id ? soci::i_ok : soci::i_null;
    const long long created_at = challenge.created_at, expires_at = challenge.expires_at;
    db_.run([&](soci::session& sql) {
        sql << "INSERT INTO webauthn_challenges (challenge_hash, purpose, user_id, created_at, expires_at) "
               "VALUES (:hash, :purpose, :user_id, :created_at, :expires_at)",
            soci::use(challenge.challenge_hash), soci::use(purpose), soci::use(user_id, user_ind),
            soci::use(created_at), soci::use(expires_at);
    });
}

std::optional<WebAuthnChallenge> WebAuthnChallengeStore::find_live(std::string_view challenge_hash,
                                                                   ChallengePurpose purpose, std::int64_t now) {
    const std::string hash(challenge_hash), wanted = purpose_text(purpose);
    const long long at = now;
    return db_.run([&](soci::session& sql) -> std::optional<WebAuthnChallenge> {
        WebAuthnChallenge challenge;
        std::string user_id;
        soci::indicator user_ind = soci::i_ok;
        long long created_at = 0, expires_at = 0;
        sql << "SELECT challenge_hash, user_id, created_at, expires_at FROM webauthn_challenges "
               "WHERE challenge_hash = :hash AND purpose = :purpose AND used_at IS NULL AND expires_at > :now",
            soci::into(challenge.challenge_hash), soci::into(user_id, user_ind), soci::into(created_at),
            soci::into(expires_at), soci::use(hash), soci::use(wanted), soci::use(at);
        if (!sql.got_data()) return std::nullopt;
        challenge.purpose = purpose;
        challenge.user_id = nullable(user_id, user_ind);
        challenge.created_at = created_at;
        challenge.expires_at = expires_at;
        return challenge;
    });
}

bool WebAuthnChallengeStore::consume(std::string_view challenge_hash, ChallengePurpose purpose, std::int64_t now) {
    const std::string hash(challenge_hash), wanted = purpose_text(purpose);
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        return execute_once(sql,
                            "UPDATE webauthn_challenges SET used_at = :now WHERE challenge_hash = :hash "
                            "AND purpose = :purpose AND used_at IS NULL AND expires_at > :now2",
                            soci::use(at), soci::use(hash), soci::use(wanted), soci::use(at)) == 1;
    });
}

std::int64_t WebAuthnChallengeStore::purge_expired(std::int64_t now) {
    const long long at = now;
    return db_.run([&](soci::session& sql) {
        return static_cast<std::int64_t>(
            execute_once(sql, "DELETE FROM webauthn_challenges WHERE expires_at <= :now", soci::use(at)));
    });
}

}  // namespace latchkey::store
