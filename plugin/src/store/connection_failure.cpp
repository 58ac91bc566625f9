// Classifies SOCI errors: connection lost, database unavailable, or a query error. Uses only
// soci_error's category, its message and a liveness check, so no client headers are needed.
#include "store/connection_failure.h"

#include <array>
#include <string>
#include <string_view>

namespace latchkey::store {
namespace {

bool mentions_any(std::string_view message, std::initializer_list<std::string_view> needles) {
    for (auto needle : needles)
        if (message.find(needle) != std::string_view::npos) return true;
    return false;
}

FailureKind classify_sqlite(std::string_view message) {
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN.
    if (mentions_any(message, {"database is locked", "database table is locked", "disk I/O error",
                               "database or disk is full", "unable to open database file"}))
        return FailureKind::unavailable;
    return FailureKind::query;
}

FailureKind classify_server(std::string_view message, soci::session& sql) {
    // The server is up but cannot serve this now: lock or statement timeouts, too many connections.
    if (mentions_any(message, {"canceling statement due to", "Lock wait timeout exceeded", "Too many connections",
                               "too many clients", "remaining connection slots"}))
        return FailureKind::unavailable;
    return sql.is_connected() ? FailureKind::query : FailureKind::connection_lost;
}

}  // namespace

FailureKind classify_failure(const soci::soci_error& error, soci::session& sql, Backend backend) {
    // PostgreSQL (SQLSTATE 08xxx) and MySQL (lost/gone/refused/killed) errors carry this category.
    if (error.get_error_category() == soci::soci_error::connection_error) return FailureKind::connection_lost;
    const std::string message = error.get_error_message();
    try {
        if (backend == Backend::sqlite) return classify_sqlite(message);
        return classify_server(message, sql);
    } catch (const std::exception&) {
        return FailureKind::connection_lost;  // the liveness check itself failed
    }
}

}  // namespace latchkey::store
