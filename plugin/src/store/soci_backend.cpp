// dlopen of the SOCI backend libraries, with an error that says what is missing.
#include "store/soci_backend.h"

#include <dlfcn.h>

#include <stdexcept>
#include <string>

#include <soci/version.h>

namespace latchkey::store {
namespace {

// SOCI's backend names, which also name its libraries and their factory functions.
const char* soci_name(Backend backend) {
    switch (backend) {
        case Backend::postgresql: return "postgresql";
        case Backend::mysql: return "mysql";
        case Backend::sqlite: break;
    }
    return "sqlite3";
}

// The ABI version in SOCI's library names: "4.0" for SOCI_VERSION 400003.
std::string soci_abi_version() {
    return std::to_string(SOCI_VERSION / 100000) + "." + std::to_string(SOCI_VERSION / 100 % 1000);
}

}  // namespace

const soci::backend_factory& soci_backend(Backend backend) {
    const std::string name = soci_name(backend);
    const std::string library = "libsoci_" + name + ".so." + soci_abi_version();
    // Never closed: every session's backend objects live in this library. dlopen of a library
    // already loaded only counts a reference, so calling this per Database costs nothing.
    void* handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        // dlerror names the file that is missing: the backend itself or its client library.
        const char* why = dlerror();
        throw std::runtime_error("the " + name + " backend is not installed or cannot be loaded (" +
                                 (why != nullptr ? why : library) + ")");
    }
    using Factory = const soci::backend_factory* (*)();
    const auto factory = reinterpret_cast<Factory>(dlsym(handle, ("factory_" + name).c_str()));
    if (factory == nullptr) throw std::runtime_error(library + " has no factory_" + name + " function");
    return *factory();
}

}  // namespace latchkey::store
