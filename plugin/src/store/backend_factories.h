// The SOCI backend factories, declared here rather than through soci/<backend>/soci-*.h, whose
// headers need the client libraries' development headers (mysql.h, libpq-fe.h, sqlite3.h).
// Internal to the store; the declarations match SOCI 4.0's extern "C" entry points.
#pragma once

#include <soci/soci-backend.h>

namespace soci {
extern "C" {
backend_factory const* factory_sqlite3();
backend_factory const* factory_postgresql();
backend_factory const* factory_mysql();
}
}  // namespace soci
