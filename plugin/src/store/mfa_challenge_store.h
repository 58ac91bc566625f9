// Pending second factors: the hash of a login answer's mfaToken, whose user passed a first factor
// (pwd, email or ext) and has a few minutes to give the second. Single use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace latchkey::store {

struct MfaChallenge {
    std::string token_hash;
    std::string user_id;
    std::string first_factor;  // "pwd", "email" or "ext" (RFC 8176)
    std::int64_t created_at = 0;
    std::int64_t expires_at = 0;
};

class MfaChallengeStore {
public:
    explicit MfaChallengeStore(Database& db) : db_(db) {}

    void create(const MfaChallenge& challenge);
    // The challenge when it is unused and not expired at `now`; it stays usable.
    std::optional<MfaChallenge> find_live(std::string_view token_hash, std::int64_t now);
    // Atomic: true for the one caller that uses the live challenge up.
    bool consume(std::string_view token_hash, std::int64_t now);
    // Removes challenges expired before `now`; returns how many.
    std::int64_t purge_expired(std::int64_t now);

private:
    Database& db_;
};

}  // namespace latchkey::store
