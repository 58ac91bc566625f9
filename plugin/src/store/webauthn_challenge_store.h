// The challenges of passkey ceremonies (CONTRACT §10): the SHA-256 of each challenge issued, for
// what (registering a passkey, or signing in with one), for whom (registration only), single use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace latchkey::store {

enum class ChallengePurpose { registration, authentication };

struct WebAuthnChallenge {
    std::string challenge_hash;  // hash_token of the base64url challenge
    ChallengePurpose purpose = ChallengePurpose::authentication;
    std::optional<std::string> user_id;  // registration: the user who asked
    std::int64_t created_at = 0;
    std::int64_t expires_at = 0;
};

class WebAuthnChallengeStore {
public:
    explicit WebAuthnChallengeStore(Database& db) : db_(db) {}

    void create(const WebAuthnChallenge& challenge);
    // The challenge when it is for `purpose`, unused and not expired at `now`; it stays usable.
    std::optional<WebAuthnChallenge> find_live(std::string_view challenge_hash, ChallengePurpose purpose,
                                               std::int64_t now);
    // Atomic: true for the one caller that uses the live challenge up.
    bool consume(std::string_view challenge_hash, ChallengePurpose purpose, std::int64_t now);
    // Removes challenges expired before `now`; returns how many.
    std::int64_t purge_expired(std::int64_t now);

private:
    Database& db_;
};

}  // namespace latchkey::store
