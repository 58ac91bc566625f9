// Applies the numbered SQL files of schemas/<backend>/ that have not run yet, each once, under a
// database-wide lock so that several hosts may start (and migrate) at the same time.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "store/compiled_migrations.h"
#include "store/database.h"

namespace latchkey::store {

// A migration file that is missing, unreadable or fails to apply (an installation error).
class MigrationError : public std::runtime_error {
public:
    explicit MigrationError(const std::string& what) : std::runtime_error(what) {}
};

// Applies the backend's compiled-in schemas/<backend_name>/NNN_name.sql files in order, skipping
// versions already in schema_migrations, and returns the versions ("001_init", ...) applied by
// this call. Idempotent.
// Locks: PostgreSQL pg_advisory_lock (each file in its own transaction), MySQL GET_LOCK (DDL is
// not transactional there: a file that fails halfway needs a look by hand), SQLite one
// BEGIN IMMEDIATE transaction for all files. Throws MigrationError or StoreUnavailable.
std::vector<std::string> migrate(Database& db);

// The same with a given list of files, in order (tests give a failing one).
std::vector<std::string> migrate(Database& db, const std::vector<CompiledMigration>& files);

// Splits a migration file into statements at ';' outside quotes, dropping `--` comments.
std::vector<std::string> split_sql_statements(std::string_view sql);

}  // namespace latchkey::store
