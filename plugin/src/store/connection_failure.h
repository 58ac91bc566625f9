// Tells a failed connection (reconnect and answer 503) from a failed query (a bug, or a
// constraint the caller handles). Internal to the store.
#pragma once

#include <soci/soci.h>

#include "store/database_url.h"

namespace latchkey::store {

enum class FailureKind {
    query,            // the connection is fine; the error is the query's own
    unavailable,      // the database cannot serve now (SQLite busy/IO); the connection is fine
    connection_lost,  // the connection is gone: reopen it before its next use
};

// `sql` is the session the error came from; for PostgreSQL/MySQL errors that are not clearly
// connection errors its liveness is checked (on the error path only).
FailureKind classify_failure(const soci::soci_error& error, soci::session& sql, Backend backend);

}  // namespace latchkey::store
