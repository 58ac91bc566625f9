// The socket of a pooled PostgreSQL connection, for QueryDeadlines.
#pragma once

#include <soci/soci.h>

namespace latchkey::store {

// The connection's socket, or -1 when it cannot be known (no open connection, or libpq not
// loaded). sql must be a session of SOCI's postgresql backend.
int postgres_socket(soci::session& sql);

}  // namespace latchkey::store
