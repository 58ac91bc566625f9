// Users: one row per account (email unique in its normalised form) and their roles.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace latchkey::store {

struct User {
    std::string id;
    std::string email;                         // normalised (see normalise_email)
    std::optional<std::string> password_hash;  // absent for accounts that only sign in with Google
    std::optional<std::int64_t> confirmed_at;  // epoch seconds
    bool active = true;
    std::vector<std::string> roles;            // sorted
    std::int64_t created_at = 0;               // epoch seconds
};

struct NewUser {
    std::string email;  // normalised by create()
    std::optional<std::string> password_hash;
    std::optional<std::int64_t> confirmed_at;
    bool active = true;
    std::vector<std::string> roles;
    std::int64_t created_at = 0;
};

enum class CreateUserOutcome { created, duplicate_email };

struct CreateUserResult {
    CreateUserOutcome outcome;
    std::string id;  // the new user's id, or the existing user's on duplicate_email
};

class UserStore {
public:
    explicit UserStore(Database& db) : db_(db) {}

    // Never fails for an existing address: returns duplicate_email and that user's id (no error is
    // raised inside the database, so it is safe within Database::transaction).
    CreateUserResult create(const NewUser& user);
    std::optional<User> find_by_email(std::string_view email);  // normalises the argument
    std::optional<User> find_by_id(std::string_view id);
    std::vector<User> list();  // oldest first

    // Each returns false when there is no such user.
    bool set_active(std::string_view id, bool active);
    bool add_role(std::string_view id, std::string_view role);     // true also if already held
    bool remove_role(std::string_view id, std::string_view role);  // true also if not held
    bool mark_confirmed(std::string_view id, std::int64_t now);    // keeps an earlier confirmed_at
    bool set_password_hash(std::string_view id, std::string_view password_hash);

private:
    Database& db_;
};

}  // namespace latchkey::store
