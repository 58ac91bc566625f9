// One-time tokens (email confirmation, password reset): hashed, single use, expiring, bound to
// one purpose and one user.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/database.h"

namespace latchkey::store {

enum class OneTimePurpose { confirm, reset };

struct NewOneTimeToken {
    std::string token_hash;  // hash_token(token)
    std::string user_id;
    OneTimePurpose purpose = OneTimePurpose::confirm;
    std::int64_t created_at = 0;
    std::int64_t expires_at = 0;
};

enum class OneTimeOutcome {
    valid,    // consume(): this call used it; check(): it would be usable now
    unknown,  // no such token for this purpose (a reset token presented to confirm is unknown)
    used,
    expired,
};

struct OneTimeResult {
    OneTimeOutcome outcome = OneTimeOutcome::unknown;
    std::string user_id;  // set unless unknown
};

class OneTimeTokenStore {
public:
    explicit OneTimeTokenStore(Database& db) : db_(db) {}

    void create(const NewOneTimeToken& token);
    // Atomic: one `UPDATE ... WHERE used_at IS NULL AND expires_at > now`; one winner.
    OneTimeResult consume(std::string_view token_hash, OneTimePurpose purpose, std::int64_t now);
    // The same answer without using the token up (e.g. check before validating a new password).
    OneTimeResult check(std::string_view token_hash, OneTimePurpose purpose, std::int64_t now);
    // Marks the user's unused tokens of this purpose used (e.g. after a reset); returns how many.
    std::int64_t invalidate_for_user(std::string_view user_id, OneTimePurpose purpose, std::int64_t now);

private:
    Database& db_;
};

}  // namespace latchkey::store
