// DenylistStore: add, contains, purge of expired rows.
#include "store/denylist_store.h"

#include "test_database.h"

namespace latchkey::store::testing {
namespace {

using Denylist = StoreTest;

TEST_P(Denylist, AddedJtiIsContainedAndAddingTwiceIsFine) {
    DenylistStore denylist(db());
    EXPECT_FALSE(denylist.contains("jti-1"));
    denylist.add("jti-1", 1000);
    denylist.add("jti-1", 1000);
    EXPECT_TRUE(denylist.contains("jti-1"));
    EXPECT_FALSE(denylist.contains("jti-2"));
}

TEST_P(Denylist, PurgeRemovesOnlyExpiredRows) {
    DenylistStore denylist(db());
    denylist.add("old", 1000);
    denylist.add("edge", 2000);
    denylist.add("live", 3000);
    EXPECT_EQ(denylist.purge_expired(2000), 2);
    EXPECT_FALSE(denylist.contains("old"));
    EXPECT_FALSE(denylist.contains("edge"));
    EXPECT_TRUE(denylist.contains("live"));
    EXPECT_EQ(denylist.purge_expired(2000), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Denylist, ::testing::Values(Backend::sqlite, Backend::postgresql, Backend::mysql),
                         backend_param_name);

}  // namespace
}  // namespace latchkey::store::testing
