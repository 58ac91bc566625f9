// RefreshTokenStore: insert and the atomic consume.
#include "store/refresh_token_store.h"

#include "store/sql_values.h"

namespace latchkey::store {
namespace {

struct TokenRow {
    ConsumeResult result;
    std::int64_t expires_at = 0;
    bool session_revoked = false;
};

std::optional<TokenRow> read_token(soci::session& sql, const std::string& hash) {
    TokenRow row;
    long long expires_at = 0, used_at_ms = 0, session_expires_at = 0, revoked_at = 0, auth_time = 0;
    soci::indicator used_ind = soci::i_ok, revoked_ind = soci::i_ok;
    // A host from before migration 003 writes used_at (seconds) alone.
    sql << "SELECT r.session_id, r.expires_at, COALESCE(r.used_at_ms, r.used_at * 1000), s.user_id, s.expires_at, "
           "s.revoked_at, s.amr, s.auth_time FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id "
           "WHERE r.token_hash = :hash",
        soci::into(row.result.session_id), soci::into(expires_at), soci::into(used_at_ms, used_ind),
        soci::into(row.result.user_id), soci::into(session_expires_at), soci::into(revoked_at, revoked_ind),
        soci::into(row.result.session_amr), soci::into(auth_time), soci::use(hash);
    if (!sql.got_data()) return std::nullopt;
    row.expires_at = expires_at;
    row.result.session_expires_at = session_expires_at;
    row.result.session_auth_time = auth_time;
    if (used_ind == soci::i_ok) row.result.used_at = std::chrono::milliseconds(used_at_ms);
    row.session_revoked = revoked_ind == soci::i_ok;
    return row;
}

// Why a token cannot be consumed, checked in the documented order; nullopt when it can be.
std::optional<ConsumeOutcome> refusal(const TokenRow& row, std::int64_t now) {
    if (row.session_revoked) return ConsumeOutcome::session_revoked;
    if (row.result.used_at) return ConsumeOutcome::already_used;
    if (now >= row.expires_at || now >= row.result.session_expires_at) return ConsumeOutcome::expired;
    return std::nullopt;
}

// Marks the token used only where refusal() would find nothing, and returns what consume needs: a
// successful refresh costs one round trip. Binds are by position, so each placeholder has its own
// name (SQLite makes one parameter of a repeated name). MariaDB has no UPDATE ... RETURNING.
// The session is checked by a correlated EXISTS, one primary-key lookup: `session_id IN (SELECT id
// FROM sessions WHERE ...)` had SQLite list every live session on every refresh (BENCHMARKS.md).
const std::string consume_returning =
    "UPDATE refresh_tokens SET used_at = :now, used_at_ms = :now_ms "
    "WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :token_now "
    "AND EXISTS (SELECT 1 FROM sessions s WHERE s.id = refresh_tokens.session_id AND s.revoked_at IS NULL "
    "AND s.expires_at > :session_now) "
    "RETURNING session_id, "
    "(SELECT s.user_id FROM sessions s WHERE s.id = refresh_tokens.session_id), "
    "(SELECT s.expires_at FROM sessions s WHERE s.id = refresh_tokens.session_id), "
    "(SELECT s.amr FROM sessions s WHERE s.id = refresh_tokens.session_id), "
    "(SELECT s.auth_time FROM sessions s WHERE s.id = refresh_tokens.session_id)";

}  // namespace

void RefreshTokenStore::insert(const NewRefreshToken& token) {
    const std::string parent = token.parent_hash.value_or("");
    soci::indicator parent_ind = token.parent_hash ? soci::i_ok : soci::i_null;
    const long long created_at = token.created_at, expires_at = token.expires_at;
    db_.run([&](soci::session& sql) {
        sql << "INSERT INTO refresh_tokens (token_hash, session_id, parent_hash, created_at, expires_at) "
               "VALUES (:hash, :session_id, :parent_hash, :created_at, :expires_at)",
            soci::use(token.token_hash), soci::use(token.session_id), soci::use(parent, parent_ind),
            soci::use(created_at), soci::use(expires_at);
    });
}

ConsumeResult RefreshTokenStore::consume(std::string_view token_hash, std::chrono::milliseconds now) {
    const std::string hash(token_hash);
    const long long at = std::chrono::floor<std::chrono::seconds>(now).count(), at_ms = now.count();
    return db_.run([&](soci::session& sql) {
        if (db_.backend() != Backend::mysql) {
            ConsumeResult result;
            long long session_expires_at = 0, auth_time = 0;
            sql << consume_returning, soci::into(result.session_id), soci::into(result.user_id),
                soci::into(session_expires_at), soci::into(result.session_amr), soci::into(auth_time),
                soci::use(at), soci::use(at_ms), soci::use(hash), soci::use(at), soci::use(at);
            if (sql.got_data()) {
                result.outcome = ConsumeOutcome::consumed;
                result.session_expires_at = session_expires_at;
                result.session_auth_time = auth_time;
                return result;
            }
            // Refused: one read says why. A row that now looks consumable is answered as a lost
            // race, like the UPDATE below that matches nothing (already_used, used_at unknown).
            const auto row = read_token(sql, hash);
            if (!row) return ConsumeResult{};
            result = row->result;
            result.outcome = refusal(*row, at).value_or(ConsumeOutcome::already_used);
            return result;
        }
        // MariaDB: read and check first, then mark it used.
        auto row = read_token(sql, hash);
        if (!row) return ConsumeResult{};
        ConsumeResult result = row->result;
        if (const auto why = refusal(*row, at)) {
            result.outcome = *why;
            return result;
        }
        // The one winner: whoever's UPDATE matches the row while used_at is still NULL.
        if (execute_once(sql,
                         "UPDATE refresh_tokens SET used_at = :now, used_at_ms = :now_ms "
                         "WHERE token_hash = :hash AND used_at IS NULL",
                         soci::use(at), soci::use(at_ms), soci::use(hash)) == 1) {
            result.outcome = ConsumeOutcome::consumed;
            return result;
        }
        const auto after = read_token(sql, hash);
        result.outcome = ConsumeOutcome::already_used;
        result.used_at = after ? after->result.used_at : std::nullopt;
        return result;
    });
}

}  // namespace latchkey::store
