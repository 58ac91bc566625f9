// The SOCI backend of a database, loaded at run time rather than linked: a SQLite host then maps
// neither libpq nor libmariadb, and a host without a backend's package still serves the others.
#pragma once

#include <soci/soci-backend.h>

#include "store/database_url.h"

namespace latchkey::store {

// Loads libsoci_<name>.so.<major>.<minor> (SOCI's own naming, installed by Debian's
// libsoci-<name> packages) on first use and returns its factory; the library stays loaded for
// the life of the process. Throws std::runtime_error naming the library when it cannot be loaded
// (not StoreUnavailable: retrying cannot help).
const soci::backend_factory& soci_backend(Backend backend);

}  // namespace latchkey::store
