// The pool: a connection killed by the server is replaced on next use, unreachable servers and
// an exhausted pool are StoreUnavailable, SQLite connections get WAL and foreign keys.
#include <chrono>
#include <filesystem>
#include <future>

#include "store/token_hash.h"

#include "store/denylist_store.h"
#include "test_database.h"

namespace latchkey::store::testing {
namespace {

using Connections = StoreTest;
using LostConnections = StoreTest;

// Ends every connection to the scratch database but the admin's own, as a server restart or a
// network cut would.
int kill_store_connections(ScratchDatabase& scratch, Backend backend) {
    soci::session& admin = scratch.admin();
    const std::string name = scratch.name();
    int killed = 0;
    if (backend == Backend::postgresql) {
        soci::rowset<int> pids = (admin.prepare << "SELECT pid FROM pg_stat_activity WHERE datname = :db AND pid <> pg_backend_pid()",
                                  soci::use(name));
        std::vector<int> all(pids.begin(), pids.end());
        for (int pid : all) {
            admin << "SELECT pg_terminate_backend(:pid)", soci::use(pid);
            ++killed;
        }
    } else {
        soci::rowset<long long> ids = (admin.prepare << "SELECT id FROM information_schema.processlist WHERE db = :db "
                                                        "AND id <> CONNECTION_ID()", soci::use(name));
        std::vector<long long> all(ids.begin(), ids.end());
        for (long long id : all) {
            admin << "KILL CONNECTION " + std::to_string(id);  // a number from the server itself
            ++killed;
        }
    }
    return killed;
}

TEST_P(LostConnections, KilledConnectionsAreReplacedOnNextUse) {
    auto pool = open(2);
    DenylistStore denylist(*pool);
    denylist.add("before", 5000);
    ASSERT_GE(kill_store_connections(scratch(), GetParam()), 2);
    try {
        EXPECT_TRUE(denylist.contains("before"));  // may already run on a reopened connection
    } catch (const StoreUnavailable& e) {
        SUCCEED() << "first call after the kill: " << e.what();
    }
    for (int i = 0; i < 6; ++i) EXPECT_TRUE(denylist.contains("before")) << "call " << i;
    denylist.add("after", 5000);
    EXPECT_TRUE(denylist.contains("after"));
}

TEST_P(Connections, ExhaustedPoolIsStoreUnavailableAfterTheLeaseTimeout) {
    DatabaseOptions options;
    options.pool_size = 1;
    options.lease_timeout = std::chrono::milliseconds(200);
    Database one(scratch().url(), options);
    one.transaction([&] {
        auto other = std::async(std::launch::async, [&] { DenylistStore(one).contains("x"); });
        EXPECT_THROW(other.get(), StoreUnavailable);
    });
    EXPECT_FALSE(DenylistStore(one).contains("x"));
}

TEST_P(Connections, NestedTransactionsJoinTheOuterOne) {
    DenylistStore denylist(db());
    EXPECT_THROW(db().transaction([&] {
        denylist.add("outer", 5000);
        db().transaction([&] { denylist.add("inner", 5000); });
        throw std::runtime_error("abort");
    }), std::runtime_error);
    EXPECT_FALSE(denylist.contains("outer"));
    EXPECT_FALSE(denylist.contains("inner"));
}

TEST(SqliteConnections, UseWalBusyTimeoutAndForeignKeys) {
    const auto dir = std::filesystem::temp_directory_path() / ("latchkey-store-test-" + random_hex(8));
    {
        Database db(*parse_database_url("sqlite3://nested/folder/auth.db", dir).url);
        std::string mode;
        int foreign_keys = 0, busy = 0;
        db.run([&](soci::session& sql) {
            sql << "PRAGMA journal_mode", soci::into(mode);
            sql << "PRAGMA foreign_keys", soci::into(foreign_keys);
            sql << "PRAGMA busy_timeout", soci::into(busy);
        });
        EXPECT_EQ(mode, "wal");
        EXPECT_EQ(foreign_keys, 1);
        EXPECT_EQ(busy, 5000);
    }
    std::filesystem::remove_all(dir);
}

TEST(ServerConnections, UnreachableServerIsStoreUnavailableQuickly) {
    for (const char* url : {"postgresql://u:secretpw@127.0.0.1:1/d", "mysql://u:secretpw@127.0.0.1:1/d"}) {
        const auto start = std::chrono::steady_clock::now();
        try {
            Database db(*parse_database_url(url, ".").url);
            ADD_FAILURE() << url << " connected";
        } catch (const StoreUnavailable& e) {
            EXPECT_EQ(std::string(e.what()).find("secretpw"), std::string::npos) << e.what();
        }
        EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5)) << url;
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, LostConnections, ::testing::Values(Backend::postgresql, Backend::mysql),
                         backend_param_name);
INSTANTIATE_TEST_SUITE_P(Backends, Connections, ::testing::Values(Backend::sqlite, Backend::postgresql, Backend::mysql),
                         backend_param_name);

}  // namespace
}  // namespace latchkey::store::testing
