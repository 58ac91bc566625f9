// TOTP factors: one per user, its secret encrypted by the caller (mfa/totp_secret_box.h); set up
// (enabled_at NULL) until a first code confirms it. last_used_step refuses a code used again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace latchkey::store {

struct TotpFactor {
    std::string user_id;
    std::string secret_encrypted;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> enabled_at;     // nullopt: set up, not on yet
    std::optional<std::int64_t> last_used_step;  // the time step of the last code accepted
};

class TotpFactorStore {
public:
    explicit TotpFactorStore(Database& db) : db_(db) {}

    std::optional<TotpFactor> find(std::string_view user_id);
    bool is_enabled(std::string_view user_id);
    // A new secret waiting for its first code, replacing one that was never enabled. False (and
    // nothing written) when the user's factor is enabled.
    bool set_up(std::string_view user_id, const std::string& secret_encrypted, std::int64_t now);
    // Turns the set-up factor on and records the step of the code that confirmed it; false when
    // there is none or it is on already.
    bool enable(std::string_view user_id, std::int64_t now, std::int64_t step);
    // Atomic: records `step` when it is later than the last step used; false for a replay (or no
    // enabled factor), so the same code is accepted once even when sent twice at once.
    bool use_step(std::string_view user_id, std::int64_t step);
    bool remove(std::string_view user_id);

private:
    Database& db_;
};

}  // namespace latchkey::store
