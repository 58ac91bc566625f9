// Migrations: the backend's compiled-in files, applied under a lock, each recorded once.
#include "store/migrations.h"

#include <algorithm>
#include <chrono>
#include <set>

namespace latchkey::store {
namespace {

std::vector<CompiledMigration> migrations_of(Backend backend) {
    std::vector<CompiledMigration> files;
    for (const CompiledMigration& file : compiled_migrations()) {
        if (file.backend == backend_name(backend)) files.push_back(file);
    }
    if (files.empty()) throw MigrationError("no migrations compiled in for " + std::string(backend_name(backend)));
    return files;
}

std::set<std::string> applied_versions(soci::session& sql) {
    std::set<std::string> versions;
    soci::rowset<std::string> rows = (sql.prepare << "SELECT version FROM schema_migrations");
    for (const auto& version : rows) versions.insert(version);
    return versions;
}

void lock(soci::session& sql, Backend backend) {
    switch (backend) {
        case Backend::sqlite:
            sql << "BEGIN IMMEDIATE";  // one write transaction for the whole run
            break;
        case Backend::postgresql:
            sql << "SELECT pg_advisory_lock(7461626306520175)";
            break;
        case Backend::mysql: {
            int got = 0;
            soci::indicator ind = soci::i_ok;
            sql << "SELECT GET_LOCK(CONCAT('latchkey.migrate.', DATABASE()), 60)", soci::into(got, ind);
            if (ind != soci::i_ok || got != 1) throw StoreUnavailable("timed out waiting for the migration lock");
            break;
        }
    }
}

void unlock(soci::session& sql, Backend backend) {
    switch (backend) {
        case Backend::sqlite: break;  // COMMIT or ROLLBACK ends it
        case Backend::postgresql: sql << "SELECT pg_advisory_unlock(7461626306520175)"; break;
        case Backend::mysql: sql << "SELECT RELEASE_LOCK(CONCAT('latchkey.migrate.', DATABASE()))"; break;
    }
}

}  // namespace

std::vector<std::string> split_sql_statements(std::string_view sql) {
    std::vector<std::string> statements;
    std::string current;
    bool in_quote = false;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (!in_quote && c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            while (i < sql.size() && sql[i] != '\n') ++i;
            current += '\n';
            continue;
        }
        if (c == '\'') in_quote = !in_quote;
        if (!in_quote && c == ';') {
            statements.push_back(current);
            current.clear();
            continue;
        }
        current += c;
    }
    statements.push_back(current);
    const auto blank = [](const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; };
    std::erase_if(statements, blank);
    for (auto& s : statements) {
        s.erase(0, s.find_first_not_of(" \t\r\n"));
        s.erase(s.find_last_not_of(" \t\r\n") + 1);
    }
    return statements;
}

std::vector<std::string> migrate(Database& db) { return migrate(db, migrations_of(db.backend())); }

std::vector<std::string> migrate(Database& db, const std::vector<CompiledMigration>& files) {
    const Backend backend = db.backend();
    std::vector<std::string> applied;
    std::string current = "schema_migrations";
    // Its own connection, without the query timeout: a DDL statement or the wait for another
    // host's migration lock may take longer than a request may.
    const std::unique_ptr<soci::session> connection = db.open_unbounded_session();
    try {
        [&](soci::session& sql) {
            lock(sql, backend);
            try {
                sql << "CREATE TABLE IF NOT EXISTS schema_migrations ("
                       "version VARCHAR(255) NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)";
                const auto done = applied_versions(sql);
                for (const auto& file : files) {
                    const std::string version(file.version);
                    if (done.count(version) != 0) continue;
                    current = std::string(file.backend) + "/" + version + ".sql";
                    const auto statements = split_sql_statements(file.sql);
                    if (backend == Backend::postgresql) sql.begin();
                    for (const auto& statement : statements) sql << statement;
                    const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                                              std::chrono::system_clock::now().time_since_epoch()).count();
                    sql << "INSERT INTO schema_migrations (version, applied_at) VALUES (:v, :t)",
                        soci::use(version), soci::use(now);
                    if (backend == Backend::postgresql) sql.commit();
                    applied.push_back(version);
                }
                if (backend == Backend::sqlite) sql << "COMMIT";
            } catch (...) {
                try {
                    if (backend != Backend::mysql) sql.rollback();
                    unlock(sql, backend);
                } catch (const std::exception&) {
                    // the connection is gone; the server drops its locks with it
                }
                throw;
            }
            unlock(sql, backend);
        }(*connection);
    } catch (const soci::soci_error& e) {
        throw MigrationError("migration " + current + " failed: " + e.what());
    }
    return applied;
}

}  // namespace latchkey::store
