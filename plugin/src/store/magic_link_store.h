// Magic links (email sign-in, CONTRACT §10): stored only as SHA-256 hashes, bound to one user,
// single use (one winner under any concurrency, on every backend) and expiring.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace latchkey::store {

struct NewMagicLink {
    std::string token_hash;  // hash_token(token)
    std::string user_id;
    std::int64_t created_at = 0;
    std::int64_t expires_at = 0;
};

class MagicLinkStore {
public:
    explicit MagicLinkStore(Database& db) : db_(db) {}

    void create(const NewMagicLink& link);
    // The user whose link this is, when this call used it: one `UPDATE ... WHERE used_at IS NULL
    // AND expires_at > now` and its affected-row count. nullopt for an unknown, used or expired
    // link, and for the losers of a race; nothing changes then.
    std::optional<std::string> consume(std::string_view token_hash, std::int64_t now);
    // Deletes the links that expired by now (used or not); returns how many.
    std::int64_t purge_expired(std::int64_t now);

private:
    Database& db_;
};

}  // namespace latchkey::store
