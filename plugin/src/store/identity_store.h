// Identities from other sign-in providers: (provider, subject) -> user, one row each.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace latchkey::store {

class IdentityStore {
public:
    explicit IdentityStore(Database& db) : db_(db) {}

    // The user id the identity belongs to, if it is known.
    std::optional<std::string> find_user_id(std::string_view provider, std::string_view subject);

    // Links the identity to `user_id` unless it is linked already (never an error, so it is safe
    // inside Database::transaction) and returns the user id it belongs to afterwards: `user_id`,
    // or the one a concurrent first sign-in linked it to.
    std::string link(std::string_view provider, std::string_view subject, std::string_view user_id,
                     std::int64_t now);

    // For linking to an account whose address was never confirmed: its password was set by
    // whoever registered, not proven to be the address owner's, so it is removed (account
    // pre-hijacking) and the address counts as confirmed from `now`. False for an unknown user.
    bool forget_unconfirmed_password(std::string_view user_id, std::int64_t now);

private:
    Database& db_;
};

}  // namespace latchkey::store
