// libpq is not linked (the backend is loaded at run time, soci_backend.h), so PQsocket is looked up
// in the libpq that SOCI's postgresql backend brought in. Only libpq's header is needed to build.
#include "store/postgres_socket.h"

#include <dlfcn.h>

#include <soci/postgresql/soci-postgresql.h>

namespace latchkey::store {
namespace {

using PqSocket = int (*)(const PGconn*);

PqSocket find_pq_socket() {
    void* libpq = dlopen("libpq.so.5", RTLD_LAZY | RTLD_NOLOAD);  // already loaded: only a reference
    return libpq == nullptr ? nullptr : reinterpret_cast<PqSocket>(dlsym(libpq, "PQsocket"));
}

}  // namespace

int postgres_socket(soci::session& sql) {
    static const PqSocket pq_socket = find_pq_socket();
    // static_cast, not dynamic_cast: the backend's type information lives in a library this one
    // does not link. The caller guarantees the backend.
    auto* backend = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
    if (pq_socket == nullptr || backend == nullptr || backend->conn_ == nullptr) return -1;
    return pq_socket(backend->conn_);
}

}  // namespace latchkey::store
