// One database behind a pool of SOCI sessions: each operation leases a connection (RAII), a
// connection-level failure becomes StoreUnavailable and the failed connection is reopened on next use.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

#include <soci/soci.h>

#include "store/database_url.h"
#include "store/query_deadlines.h"
#include "store/store_unavailable.h"

namespace latchkey::store {

struct DatabaseOptions {
    std::size_t pool_size = 4;
    std::chrono::milliseconds lease_timeout{5000};  // waiting for a free pooled connection
    std::chrono::milliseconds busy_timeout{5000};   // SQLite lock waits; MySQL/PostgreSQL lock waits
    // How long one call may wait on a PostgreSQL or MySQL server that does not answer (hung, not
    // refused) before it fails with StoreUnavailable. PostgreSQL: QueryDeadlines shuts the socket;
    // MySQL: the client's read_timeout/write_timeout (whole seconds, rounded up).
    std::chrono::milliseconds query_timeout{10000};
};

class Database {
public:
    // Loads the backend's SOCI library (soci_backend.h: std::runtime_error when it is missing),
    // then opens pool_size connections. SQLite: creates the file's parent folder, then WAL,
    // busy_timeout and foreign_keys on every connection. Throws StoreUnavailable when the database
    // cannot be reached (its message names the database, never the password).
    explicit Database(DatabaseUrl url, DatabaseOptions options = {});
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Backend backend() const { return url_.backend; }
    const DatabaseUrl& url() const { return url_; }
    std::size_t pool_size() const { return options_.pool_size; }

    // Runs fn(soci::session&) on a leased connection, or on this thread's open transaction()'s
    // connection. Connection-level failures throw StoreUnavailable; other SOCI errors (a bug in a
    // query, a constraint) propagate unchanged.
    template <class Fn>
    auto run(Fn&& fn) -> std::invoke_result_t<Fn&, soci::session&> {
        using Result = std::invoke_result_t<Fn&, soci::session&>;
        if constexpr (std::is_void_v<Result>) {
            with_session([&](soci::session& sql) { fn(sql); });
        } else {
            std::optional<Result> result;
            with_session([&](soci::session& sql) { result.emplace(fn(sql)); });
            return std::move(*result);
        }
    }

    // Runs fn() as one unit of work: every run() on this thread meanwhile (directly or through
    // the stores) shares one connection and one transaction, committed when fn returns and rolled
    // back when it throws. A nested call joins the outer transaction. SQLite: BEGIN IMMEDIATE.
    template <class Fn>
    auto transaction(Fn&& fn) -> std::invoke_result_t<Fn&> {
        using Result = std::invoke_result_t<Fn&>;
        if constexpr (std::is_void_v<Result>) {
            with_transaction([&] { fn(); });
        } else {
            std::optional<Result> result;
            with_transaction([&] { result.emplace(fn()); });
            return std::move(*result);
        }
    }

    // A connection outside the pool, configured like pooled ones but with no query timeout: for
    // migrations, whose DDL or wait for another host's migration lock may take longer.
    // Throws StoreUnavailable when the database cannot be reached.
    std::unique_ptr<soci::session> open_unbounded_session();

private:
    struct Slot {
        bool open = false;
        bool broken = false;
        std::uint64_t checked_epoch = 0;
        // PostgreSQL: our own dup of the connection's socket, for deadlines_. shutdown() on it acts
        // on the shared socket, and the number is never reused while we hold it, even after
        // libpq has closed its own descriptor.
        int socket = -1;
    };
    class PoolLease;

    void with_session(const std::function<void(soci::session&)>& fn);
    void with_transaction(const std::function<void()>& fn);
    void prepare(std::size_t pos);
    void connect(std::size_t pos);
    void configure(soci::session& sql);
    void execute(std::size_t pos, const std::function<void(soci::session&)>& fn);
    // Runs fn on connection pos within options_.query_timeout (PostgreSQL; others run it as is).
    void bounded(std::size_t pos, const std::function<void()>& fn);
    [[noreturn]] void timed_out(std::size_t pos);

    DatabaseUrl url_;
    std::string unbounded_connect_string_;  // url_'s, before the MySQL timeouts were added
    DatabaseOptions options_;
    const soci::backend_factory* factory_;
    std::unique_ptr<soci::connection_pool> pool_;
    std::vector<Slot> slots_;                      // slot i belongs to whoever leased pool_ position i
    std::atomic<std::uint64_t> failure_epoch_{0};  // bumped on every connection failure
    std::unique_ptr<QueryDeadlines> deadlines_;    // PostgreSQL only
};

}  // namespace latchkey::store
