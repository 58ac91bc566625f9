// The access-token denylist: a logged-out token's jti, kept until the token would expire anyway.
#pragma once

#include <cstdint>
#include <string_view>

#include "store/database.h"

namespace latchkey::store {

class DenylistStore {
public:
    explicit DenylistStore(Database& db) : db_(db) {}

    void add(std::string_view jti, std::int64_t expires_at);  // adding twice is fine
    bool contains(std::string_view jti);
    std::int64_t purge_expired(std::int64_t now);  // deletes rows with expires_at <= now; returns how many

private:
    Database& db_;
};

}  // namespace latchkey::store
