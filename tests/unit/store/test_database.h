// A fresh, migrated database per test on each backend: a temp SQLite file, or a new database on
// the PostgreSQL / MariaDB server named by LATCHKEY_TEST_PG_URL / LATCHKEY_TEST_MYSQL_URL.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "store/database.h"

namespace latchkey::store {
// Prints a backend by name in gtest messages.
inline void PrintTo(Backend backend, std::ostream* out) { *out << backend_name(backend); }
}  // namespace latchkey::store

namespace latchkey::store::testing {

// The three backends, each one named for test names ("sqlite", "postgresql", "mysql").
std::string backend_param_name(const ::testing::TestParamInfo<Backend>& info);

// A throwaway database: created empty by the constructor, dropped by the destructor.
class ScratchDatabase {
public:
    // Returns nullopt (and sets `why`) when the backend is not configured.
    static std::unique_ptr<ScratchDatabase> create(Backend backend, std::string& why);
    ~ScratchDatabase();

    const DatabaseUrl& url() const { return url_; }
    const std::string& name() const { return name_; }  // database name (or SQLite file)
    // Runs SQL on a separate administrative connection (to terminate the store's connections).
    soci::session& admin() { return *admin_; }

private:
    ScratchDatabase() = default;
    Backend backend_ = Backend::sqlite;
    DatabaseUrl url_;
    std::string name_;
    std::string temp_dir_;
    std::unique_ptr<soci::session> admin_;
};

// Fixture: GetParam() is the backend; db() is a migrated Database on a fresh ScratchDatabase.
// Without the server's URL the test fails, unless LATCHKEY_TEST_SQLITE_ONLY=1 (then it skips).
class StoreTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override;
    void TearDown() override;
    virtual bool migrate_in_setup() const { return true; }

    Database& db() { return *db_; }
    ScratchDatabase& scratch() { return *scratch_; }
    std::unique_ptr<Database> open(std::size_t pool_size);  // another pool on the same database

private:
    std::unique_ptr<ScratchDatabase> scratch_;
    std::unique_ptr<Database> db_;
};

std::int64_t now_seconds();

}  // namespace latchkey::store::testing
