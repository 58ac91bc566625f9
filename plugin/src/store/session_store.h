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
    // The login that started it (CONTRACT §10): where from, and how and when it authenticated.
    std::string client_address;
    std::string user_agent;
    std::vector<std::string> amr;  // RFC 8176 values, e.g. {"pwd", "otp"}
    std::int64_t auth_time = 0;    // epoch seconds; step-up moves it
};

// What a new session records of the login that starts it.
struct SessionLogin {
    std::string client_address;
    std::string user_agent;
    std::vector<std::string> amr;
    std::int64_t auth_time = 0;
};

// amr as the sessions table keeps it: the values joined by single spaces, and back.
std::string join_amr(const std::vector<std::string>& amr);
std::vector<std::string> split_amr(std::string_view joined);

struct RevokedSession {
    std::string id;
    std::int64_t revoked_at = 0;
};

class SessionStore {
public:
    explicit SessionStore(Database& db) : db_(db) {}

    Session create(std::string_view user_id, std::int64_t now, std::int64_t expires_at, const SessionLogin& login = {});
    std::optional<Session> find(std::string_view id);
    std::vector<Session> list_for_user(std::string_view user_id);  // newest first
    // Neither revoked nor expired at `now`, newest first: what the owner's sessions list shows.
    std::vector<Session> list_live_for_user(std::string_view user_id, std::int64_t now);
    bool touch(std::string_view id, std::int64_t now);              // false: no such session
    // Step-up: the session now authenticated with amr, at auth_time. False: no such live session.
    bool set_authentication(std::string_view id, const std::vector<std::string>& amr, std::int64_t auth_time);

    // True when this call revoked it; false when unknown or already revoked.
    bool revoke(std::string_view id, std::int64_t now);
    // The same for a live session of this user only, in one statement: another user's session, or
    // one already revoked or expired, is left as it is (false).
    bool revoke_for_user(std::string_view id, std::string_view user_id, std::int64_t now);
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
