// Applies the numbered SQL files of schemas/<backend>/ that have not run yet, each once, under a
// database-wide lock so that several hosts may start (and migrate) at the same time.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace latchkey::store {

// A migration file that is missing, unreadable or fails to apply (an installation error).
class MigrationError : public std::runtime_error {
public:
    explicit MigrationError(const std::string& what) : std::runtime_error(what) {}
};

// The schemas/ folder of the source tree this was built from (LATCHKEY_SCHEMAS_DIR); an installed
// plugin passes its own folder to migrate() instead.
std::filesystem::path default_schemas_dir();

// Applies schemas_dir/<backend_name>/NNN_name.sql in numeric order, skipping versions already in
// schema_migrations, and returns the versions ("001_init", ...) applied by this call. Idempotent.
// Locks: PostgreSQL pg_advisory_lock (each file in its own transaction), MySQL GET_LOCK (DDL is
// not transactional there: a file that fails halfway needs a look by hand), SQLite one
// BEGIN IMMEDIATE transaction for all files. Throws MigrationError or StoreUnavailable.
std::vector<std::string> migrate(Database& db, const std::filesystem::path& schemas_dir);

// Splits a migration file into statements at ';' outside quotes, dropping `--` comments.
std::vector<std::string> split_sql_statements(std::string_view sql);

}  // namespace latchkey::store
