// A migrated SQLite database in a temporary folder, removed afterwards (mail tests need the outbox).
#pragma once

#include <filesystem>
#include <memory>

#include "store/database.h"
#include "store/database_url.h"
#include "store/migrations.h"
#include "store/token_hash.h"

namespace latchkey::mail::testing {

class ScratchSqlite {
public:
    explicit ScratchSqlite(store::DatabaseOptions options = {})
        : dir_(std::filesystem::temp_directory_path() / ("latchkey-mail-db-" + store::random_hex(8))) {
        db_ = std::make_unique<store::Database>(*store::parse_database_url("sqlite3://auth.db", dir_).url, options);
        store::migrate(*db_);
    }
    ~ScratchSqlite() {
        db_.reset();
        std::filesystem::remove_all(dir_);
    }
    store::Database& db() { return *db_; }
    std::filesystem::path file() const { return dir_ / "auth.db"; }
    const std::filesystem::path& dir() const { return dir_; }

private:
    std::filesystem::path dir_;
    std::unique_ptr<store::Database> db_;
};

}  // namespace latchkey::mail::testing
