// Small helpers shared by the stores: nullable values, the per-backend "insert unless it exists"
// clause, and a statement run once that counts its rows. Internal to the store.
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

// Runs an UPDATE or DELETE once and returns how many rows it changed. `sql.prepare << ...` makes a
// named prepared statement, which on PostgreSQL costs three round trips (parse, execute,
// deallocate) for one execution; this is SOCI's one-time query (what `sql << ...` runs): one.
template <class... Uses>
long long execute_once(soci::session& sql, const std::string& query, const Uses&... uses) {
    soci::statement st(sql);
    (st.exchange(uses), ...);
    st.alloc();
    st.prepare(query, soci::details::st_one_time_query);
    st.define_and_bind();
    st.execute(true);
    return st.get_affected_rows();
}

}  // namespace latchkey::store
