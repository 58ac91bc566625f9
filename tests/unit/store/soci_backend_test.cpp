// soci_backend: each backend's SOCI library loads at run time and gives a working factory.
#include "store/soci_backend.h"

#include <gtest/gtest.h>

#include <soci/soci.h>

namespace latchkey::store {
namespace {

TEST(SociBackend, LoadsTheLibraryOfEachBackend) {
    for (const Backend backend : {Backend::sqlite, Backend::postgresql, Backend::mysql}) {
        EXPECT_NO_THROW(soci_backend(backend)) << backend_name(backend);
    }
}

TEST(SociBackend, LoadedFactoryOpensSessions) {
    soci::session sql(soci_backend(Backend::sqlite), "db=:memory:");
    int two = 0;
    sql << "SELECT 1 + 1", soci::into(two);
    EXPECT_EQ(sql.get_backend_name(), "sqlite3");
    EXPECT_EQ(two, 2);
}

}  // namespace
}  // namespace latchkey::store
