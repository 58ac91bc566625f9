// Parses `database.url` (sqlite3://PATH, postgresql://user:pass@host:port/db,
// mysql://user:pass@host:port/db) into a SOCI backend and connect string.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace latchkey::store {

enum class Backend { sqlite, postgresql, mysql };

// The folder name under schemas/ for a backend: "sqlite", "postgresql", "mysql".
std::string_view backend_name(Backend backend);

struct DatabaseUrl {
    Backend backend = Backend::sqlite;
    std::string connect_string;          // for soci::session::open with the backend's factory
    std::filesystem::path sqlite_path;   // absolute, only for Backend::sqlite
    std::string database;                // database name (PostgreSQL/MySQL), for diagnostics
};

struct DatabaseUrlResult {
    std::optional<DatabaseUrl> url;      // set on success
    std::string error;                   // the reason otherwise (never contains the password)
};

// A relative sqlite3 PATH resolves against base_dir (the host config file's folder). Query
// parameters (`?sslmode=require&connect_timeout=3`) pass through to libpq / the MySQL client.
// A connect timeout of 5 s is added unless given. Creates nothing; see Database for that.
DatabaseUrlResult parse_database_url(std::string_view url, const std::filesystem::path& base_dir);

}  // namespace latchkey::store
