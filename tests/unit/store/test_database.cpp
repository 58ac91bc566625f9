// Scratch databases for the store tests; see test_database.h.
#include "test_database.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "store/migrations.h"
#include "store/soci_backend.h"
#include "store/token_hash.h"

namespace latchkey::store::testing {
namespace {

const char* env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? value : nullptr;
}

// The URL with its database name replaced (scheme://user:pass@host:port/NAME[?query]).
std::string with_database(const std::string& url, const std::string& name) {
    const auto query = url.find('?');
    const std::string base = url.substr(0, query);
    const std::string rest = query == std::string::npos ? "" : url.substr(query);
    return base.substr(0, base.rfind('/') + 1) + name + rest;
}

}  // namespace

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string backend_param_name(const ::testing::TestParamInfo<Backend>& info) {
    return std::string(backend_name(info.param));
}

std::unique_ptr<ScratchDatabase> ScratchDatabase::create(Backend backend, std::string& why) {
    std::unique_ptr<ScratchDatabase> scratch(new ScratchDatabase());
    scratch->backend_ = backend;
    if (backend == Backend::sqlite) {
        const auto dir = std::filesystem::temp_directory_path() / ("latchkey-store-test-" + random_hex(8));
        scratch->temp_dir_ = dir.string();
        scratch->url_ = *parse_database_url("sqlite3://auth.db", dir).url;
        scratch->name_ = scratch->url_.sqlite_path.string();
        return scratch;
    }
    const char* var = backend == Backend::postgresql ? "LATCHKEY_TEST_PG_URL" : "LATCHKEY_TEST_MYSQL_URL";
    const char* server_url = env(var);
    if (server_url == nullptr) {
        why = std::string(var) + " is not set: start the servers with `eval \"$(script/databases start DIR)\"`, "
              "or set LATCHKEY_TEST_SQLITE_ONLY=1 to test SQLite alone";
        return nullptr;
    }
    const auto admin_url = parse_database_url(server_url, ".");
    if (!admin_url.url) {
        why = std::string(var) + ": " + admin_url.error;
        return nullptr;
    }
    scratch->admin_ = std::make_unique<soci::session>(soci_backend(backend), admin_url.url->connect_string);
    scratch->name_ = "latchkey_t" + random_hex(8);  // generated here, never from input
    *scratch->admin_ << "CREATE DATABASE " + scratch->name_;
    scratch->url_ = *parse_database_url(with_database(server_url, scratch->name_), ".").url;
    return scratch;
}

ScratchDatabase::~ScratchDatabase() {
    try {
        if (backend_ == Backend::sqlite) {
            std::filesystem::remove_all(temp_dir_);
        } else if (admin_) {
            if (!admin_->is_connected()) admin_->reconnect();
            *admin_ << (backend_ == Backend::postgresql ? "DROP DATABASE " + name_ + " WITH (FORCE)" : "DROP DATABASE " + name_);
        }
    } catch (const std::exception& e) {
        ADD_FAILURE() << "could not drop scratch database " << name_ << ": " << e.what();
    }
}

void StoreTest::SetUp() {
    std::string why;
    scratch_ = ScratchDatabase::create(GetParam(), why);
    if (!scratch_) {
        if (env("LATCHKEY_TEST_SQLITE_ONLY") != nullptr && std::string(env("LATCHKEY_TEST_SQLITE_ONLY")) == "1")
            GTEST_SKIP() << "LATCHKEY_TEST_SQLITE_ONLY=1: " << why;
        FAIL() << why;
    }
    db_ = open(4);
    if (migrate_in_setup()) migrate(*db_);
}

void StoreTest::TearDown() {
    db_.reset();
    scratch_.reset();
}

std::unique_ptr<Database> StoreTest::open(std::size_t pool_size) {
    DatabaseOptions options;
    options.pool_size = pool_size;
    return std::make_unique<Database>(scratch_->url(), options);
}

}  // namespace latchkey::store::testing
