// Refresh tokens (by SHA-256 hash) within their session, and the atomic consume that makes
// rotation have one winner under any concurrency, on every backend.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace latchkey::store {

struct NewRefreshToken {
    std::string token_hash;  // hash_token(token): the token itself is never stored
    std::string session_id;
    std::optional<std::string> parent_hash;  // the token this one replaced
    std::int64_t created_at = 0;
    std::int64_t expires_at = 0;
};

enum class ConsumeOutcome {
    consumed,         // this call used the token: rotate (the caller issues its successor)
    already_used,     // used before, at used_at: within the grace window answer without rotating, else revoke the session
    unknown,          // no such token
    expired,          // the token or its session's absolute lifetime ran out
    session_revoked,  // its session was revoked (logout, reuse, password change)
};

struct ConsumeResult {
    ConsumeOutcome outcome = ConsumeOutcome::unknown;
    std::string session_id;                // set unless unknown
    std::string user_id;                   // set unless unknown
    std::int64_t session_expires_at = 0;   // set unless unknown: caps the successor's expiry
    std::string session_amr;               // set unless unknown: how the session authenticated (space-separated)
    std::int64_t session_auth_time = 0;    // set unless unknown: when (epoch seconds)
    // Set for already_used, when known: epoch milliseconds, so that the grace window is exact.
    std::optional<std::chrono::milliseconds> used_at;
};

class RefreshTokenStore {
public:
    explicit RefreshTokenStore(Database& db) : db_(db) {}

    void insert(const NewRefreshToken& token);

    // Checked in this order: unknown, session_revoked, already_used, expired. The token is marked
    // used by one `UPDATE ... SET used_at = now WHERE ... used_at IS NULL`, so only one caller can
    // get consumed. PostgreSQL and SQLite run that UPDATE first, with every check in its WHERE and
    // `RETURNING`, and read the row only when it matched nothing; MariaDB reads first, then updates.
    // `now` is since the epoch; expiry is checked in whole seconds, used_at kept in milliseconds.
    ConsumeResult consume(std::string_view token_hash, std::chrono::milliseconds now);

private:
    Database& db_;
};

}  // namespace latchkey::store
