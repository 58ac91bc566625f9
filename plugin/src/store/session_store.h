// Sessions: one per login, the family that its refresh tokens rotate within. Revoking a session
// ends its refresh tokens and (through the revocation cache) its access tokens.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace latchkey::store {

struct Session {
    std::string id;
    std::string user_id;
    std::int64_t created_at = 0;    // epoch seconds, as every time here
    std::int64_t last_used_at = 0;
    std::int64_t expires_at = 0;    // absolute: no refresh extends a session past it
    std::optional<std::int64_t> revoked_at;
};

struct RevokedSession {
    std::string id;
    std::int64_t revoked_at = 0;
};

class SessionStore {
public:
    explicit SessionStore(Database& db) : db_(db) {}

    Session create(std::string_view user_id, std::int64_t now, std::int64_t expires_at);
    std::optional<Session> find(std::string_view id);
    std::vector<Session> list_for_user(std::string_view user_id);  // newest first
    bool touch(std::string_view id, std::int64_t now);              // false: no such session

    // True when this call revoked it; false when unknown or already revoked.
    bool revoke(std::string_view id, std::int64_t now);
    // Revokes every active session of the user except `except_id`; returns how many.
    std::int64_t revoke_all_for_user(std::string_view user_id, std::int64_t now,
                                     std::optional<std::string_view> except_id = std::nullopt);

    // True when revoked, and also when unknown (fail closed).
    bool is_revoked(std::string_view id);
    // Sessions revoked at or after `since`, for a revocation cache that polls.
    std::vector<RevokedSession> revoked_since(std::int64_t since);

private:
    Database& db_;
};

}  // namespace latchkey::store
