// Recovery codes: SHA-256 hashes only (mfa/recovery_codes.h makes and hashes them), each usable once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace latchkey::store {

class RecoveryCodeStore {
public:
    explicit RecoveryCodeStore(Database& db) : db_(db) {}

    // The user's codes become exactly these (the old ones, used or not, are gone).
    void replace(std::string_view user_id, const std::vector<std::string>& code_hashes, std::int64_t now);
    // Atomic: marks the user's unused code used; false when it is unknown, another user's, or used.
    bool consume(std::string_view user_id, std::string_view code_hash, std::int64_t now);
    std::int64_t remaining(std::string_view user_id);
    void remove_all(std::string_view user_id);

private:
    Database& db_;
};

}  // namespace latchkey::store
