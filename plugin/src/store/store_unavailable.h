// The one exception of the store: the database cannot be reached or a query failed at the
// connection level. The HTTP layer answers 503; the failed connection is replaced on next use.
#pragma once

#include <stdexcept>
#include <string>

namespace latchkey::store {

class StoreUnavailable : public std::runtime_error {
public:
    explicit StoreUnavailable(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace latchkey::store
