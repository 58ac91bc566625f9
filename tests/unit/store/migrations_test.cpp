// Migrations: applied once, idempotent, and safe when two hosts migrate at the same moment.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <latch>

#include "store/migrations.h"
#include "store/soci_backend.h"
#include "test_database.h"

namespace latchkey::store::testing {
namespace {

class Migrations : public StoreTest {
protected:
    bool migrate_in_setup() const override { return false; }
};

TEST_P(Migrations, SecondRunAppliesNothing) {
    const std::vector<std::string> every_file = {"001_init", "002_identities", "003_refresh_used_at_ms", "005_throttle_counts"};
    EXPECT_EQ(migrate(db()), every_file);
    EXPECT_TRUE(migrate(db()).empty());
    int count = 0;
    db().run([&](soci::session& sql) { sql << "SELECT COUNT(*) FROM schema_migrations", soci::into(count); });
    EXPECT_EQ(count, static_cast<int>(every_file.size()));
}

TEST_P(Migrations, TwoHostsMigratingAtOnceApplyEachFileOnce) {
    auto host_a = open(1), host_b = open(1);
    std::latch start(2);
    const auto run = [&](Database& host) {
        start.arrive_and_wait();
        return migrate(host);
    };
    auto a = std::async(std::launch::async, run, std::ref(*host_a));
    auto b = std::async(std::launch::async, run, std::ref(*host_b));
    const auto applied_a = a.get(), applied_b = b.get();
    EXPECT_EQ(applied_a.size() + applied_b.size(), 4u);  // each file, by one host
    std::vector<std::string> all = applied_a;
    all.insert(all.end(), applied_b.begin(), applied_b.end());
    std::sort(all.begin(), all.end());
    EXPECT_EQ(all, (std::vector<std::string>{"001_init", "002_identities", "003_refresh_used_at_ms", "005_throttle_counts"}));
    EXPECT_TRUE(migrate(db()).empty());
}

// A migration may wait for another host's migration lock (or run a long DDL statement) longer than
// database.query_timeout_ms: it runs on its own connection, outside the query deadline.
TEST_P(Migrations, WaitingForAnotherHostsLockIsNotCutByTheQueryTimeout) {
    DatabaseOptions short_timeout;
    short_timeout.pool_size = 1;
    short_timeout.query_timeout = std::chrono::milliseconds(500);
    Database host(scratch().url(), short_timeout);
    soci::session holder(soci_backend(GetParam()), scratch().url().connect_string);
    switch (GetParam()) {
        case Backend::sqlite: holder << "BEGIN IMMEDIATE"; break;
        case Backend::postgresql: holder << "SELECT pg_advisory_lock(7461626306520175)"; break;
        case Backend::mysql: {
            int got = 0;
            holder << "SELECT GET_LOCK(CONCAT('latchkey.migrate.', DATABASE()), 0)", soci::into(got);
            ASSERT_EQ(got, 1);
            break;
        }
    }
    auto migrating = std::async(std::launch::async, [&] { return migrate(host); });
    EXPECT_EQ(migrating.wait_for(std::chrono::milliseconds(1500)), std::future_status::timeout) << "the lock did not hold";
    switch (GetParam()) {
        case Backend::sqlite: holder << "COMMIT"; break;
        case Backend::postgresql: holder << "SELECT pg_advisory_unlock(7461626306520175)"; break;
        case Backend::mysql: holder << "DO RELEASE_LOCK(CONCAT('latchkey.migrate.', DATABASE()))"; break;
    }
    EXPECT_EQ(migrating.get().size(), 4u) << "every file applied after a 1.5 s wait";
}

TEST_P(Migrations, AFailingFileIsAMigrationErrorNamingItAndIsNotRecorded) {
    const std::vector<CompiledMigration> files = {
        {backend_name(GetParam()), "001_ok", "CREATE TABLE ok_table (x INTEGER)"},
        {backend_name(GetParam()), "002_broken", "CREATE TABLE broken_table (x NOT_A_TYPE("}};
    try {
        migrate(db(), files);
        FAIL() << "a broken migration applied";
    } catch (const MigrationError& error) {
        EXPECT_NE(std::string(error.what()).find("/002_broken.sql"), std::string::npos) << error.what();
    }
    // Not recorded: once fixed, it applies (with 001 too on SQLite, whose run was one transaction).
    const std::vector<CompiledMigration> fixed = {files[0], {files[1].backend, "002_broken", "CREATE TABLE fixed_table (x INTEGER)"}};
    const auto applied = migrate(db(), fixed);
    EXPECT_EQ(std::count(applied.begin(), applied.end(), "002_broken"), 1);
}

// What is compiled in is exactly the files of schemas/, byte for byte.
TEST(MigrationFiles, CompiledInAreTheFilesOfTheSchemasFolder) {
    std::size_t files_on_disk = 0;
    for (const char* backend : {"sqlite", "postgresql", "mysql"}) {
        for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(LATCHKEY_TEST_SCHEMAS_DIR) / backend)) {
            if (entry.path().extension() != ".sql") continue;
            ++files_on_disk;
            std::ifstream in(entry.path(), std::ios::binary);
            const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            const auto& all = compiled_migrations();
            const auto found = std::find_if(all.begin(), all.end(), [&](const CompiledMigration& m) {
                return m.backend == backend && m.version == entry.path().stem().string();
            });
            ASSERT_NE(found, all.end()) << entry.path();
            EXPECT_EQ(found->sql, bytes) << entry.path();
        }
    }
    EXPECT_GE(files_on_disk, 9u);
    EXPECT_EQ(compiled_migrations().size(), files_on_disk);
}

TEST(MigrationFiles, StatementsSplitAtSemicolonsOutsideQuotesAndComments) {
    const auto statements = split_sql_statements("-- a; comment\nCREATE TABLE a (x TEXT DEFAULT ';');\n\nCREATE INDEX i ON a (x); -- end;\n");
    ASSERT_EQ(statements.size(), 2u);
    EXPECT_EQ(statements[0], "CREATE TABLE a (x TEXT DEFAULT ';')");
    EXPECT_EQ(statements[1], "CREATE INDEX i ON a (x)");
}

INSTANTIATE_TEST_SUITE_P(Backends, Migrations,
                         ::testing::Values(Backend::sqlite, Backend::postgresql, Backend::mysql), backend_param_name);

}  // namespace
}  // namespace latchkey::store::testing
