// Passkeys (CONTRACT §10): WebAuthn credentials, one row each, owned by one user. Binary values
// (credential id, COSE public key) are base64url text here, as in the table; the callers encode.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace latchkey::store {

struct Passkey {
    std::string id;             // ours: new_id()
    std::string user_id;
    std::string credential_id;  // base64url of the id the authenticator chose
    std::string public_key;     // base64url of the COSE_Key bytes
    std::int32_t algorithm = 0;  // COSE: -7, -8 or -257
    std::int64_t sign_count = 0;
    std::vector<std::string> transports;  // e.g. {"internal", "hybrid"}
    std::string name;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> last_used_at;
    std::optional<std::int64_t> flagged_at;  // a counter went backwards: refused from then on
};

class PasskeyStore {
public:
    explicit PasskeyStore(Database& db) : db_(db) {}

    // False (and nothing written) when the credential id is registered already, to anyone.
    bool insert(const Passkey& passkey);
    std::optional<Passkey> find_by_credential_id(std::string_view credential_id);
    std::optional<Passkey> find_for_user(std::string_view id, std::string_view user_id);
    std::vector<Passkey> list_for_user(std::string_view user_id);  // oldest first
    std::int64_t count_for_user(std::string_view user_id);        // flagged ones too
    // Atomic: an assertion moved the counter from `from` to `to`. False when the passkey was
    // flagged, removed, or used by another assertion since it was read.
    bool record_use(std::string_view id, std::int64_t from, std::int64_t to, std::int64_t now);
    // True when this call flagged it (false: unknown, or flagged already).
    bool flag(std::string_view id, std::int64_t now);
    // Only the user's own: another user's passkey is left as it is (false).
    bool remove_for_user(std::string_view id, std::string_view user_id);

private:
    Database& db_;
};

}  // namespace latchkey::store
