// Small helpers shared by the stores: nullable values and the per-backend "insert unless it
// exists" clause. Internal to the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <soci/soci.h>

#include "store/database_url.h"

namespace latchkey::store {

inline std::optional<std::int64_t> nullable(long long value, soci::indicator ind) {
    return ind == soci::i_ok ? std::optional<std::int64_t>(value) : std::nullopt;
}

inline std::optional<std::string> nullable(const std::string& value, soci::indicator ind) {
    return ind == soci::i_ok ? std::optional<std::string>(value) : std::nullopt;
}

// Appended to an INSERT so that a row whose key already exists is left as it is, without an
// error (an error would abort a surrounding PostgreSQL transaction). `key` is a column name
// (or "a, b" for a composite key) from code, never input.
inline std::string if_absent(Backend backend, const std::string& key) {
    if (backend == Backend::mysql) {
        const std::string first = key.substr(0, key.find(','));
        return " ON DUPLICATE KEY UPDATE " + first + " = " + first;
    }
    return " ON CONFLICT (" + key + ") DO NOTHING";
}

}  // namespace latchkey::store
