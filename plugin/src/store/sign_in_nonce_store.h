// One-time nonces for Google sign-in: issued by the server, stored only as SHA-256 hashes with an
// expiry, consumed at most once (in the database so that every host sharing it agrees).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/database.h"

namespace latchkey::store {

class SignInNonceStore {
public:
    explicit SignInNonceStore(Database& db) : db_(db) {}

    // A fresh nonce (256 random bits, hex) valid until `expires_at`; expired ones are purged.
    std::string issue(std::int64_t now, std::int64_t expires_at);

    // True exactly once for an issued, unexpired nonce: one DELETE whose affected-row count
    // picks the one winner under concurrency, on every backend.
    bool consume(std::string_view nonce, std::int64_t now);

private:
    Database& db_;
};

}  // namespace latchkey::store
