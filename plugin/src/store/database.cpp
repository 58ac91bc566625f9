// The connection pool: leasing, (re)connecting, per-connection setup, transactions on one thread.
#include "store/database.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>

#include "store/connection_failure.h"
#include "store/postgres_socket.h"
#include "store/soci_backend.h"

namespace latchkey::store {
namespace {

// The transactions open on this thread: which database, which pooled connection.
struct OpenTransaction {
    const Database* db;
    std::size_t pos;
};
thread_local std::vector<OpenTransaction> open_transactions;

const OpenTransaction* find_transaction(const Database* db) {
    for (const auto& t : open_transactions)
        if (t.db == db) return &t;
    return nullptr;
}

std::string describe(const DatabaseUrl& url) {
    return std::string(backend_name(url.backend)) + " database '" + url.database + "'";
}

// A private copy of a PostgreSQL connection's socket (see Slot::socket), or -1.
int watched_socket(soci::session& sql) {
    const int fd = postgres_socket(sql);
    return fd < 0 ? -1 : ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
}

// MySQL's client bounds its own reads and writes: add the timeouts unless the URL sets them.
void add_mysql_timeouts(DatabaseUrl& url, std::chrono::milliseconds timeout) {
    const std::string seconds = std::to_string(std::max<long long>(1, (timeout.count() + 999) / 1000));
    for (const char* key : {"read_timeout", "write_timeout"}) {
        if (url.connect_string.find(std::string(key) + "=") == std::string::npos)
            url.connect_string += std::string(" ") + key + "=" + seconds;
    }
}

}  // namespace

// Holds one pool position from try_lease to give_back.
class Database::PoolLease {
public:
    explicit PoolLease(Database& db) : db_(db) {
        const auto timeout = static_cast<int>(db.options_.lease_timeout.count());
        if (!db.pool_->try_lease(pos_, timeout))
            throw StoreUnavailable("no free connection to the " + describe(db.url_) + " within " +
                                   std::to_string(timeout) + " ms");
    }
    ~PoolLease() { db_.pool_->give_back(pos_); }
    PoolLease(const PoolLease&) = delete;
    PoolLease& operator=(const PoolLease&) = delete;
    std::size_t pos() const { return pos_; }

private:
    Database& db_;
    std::size_t pos_ = 0;
};

Database::Database(DatabaseUrl url, DatabaseOptions options)
    : url_(std::move(url)),
      unbounded_connect_string_(url_.connect_string),
      options_(options),
      factory_(&soci_backend(url_.backend)),
      slots_(options.pool_size == 0 ? 1 : options.pool_size) {
    options_.pool_size = slots_.size();
    if (url_.backend == Backend::mysql) add_mysql_timeouts(url_, options_.query_timeout);
    if (url_.backend == Backend::postgresql)
        deadlines_ = std::make_unique<QueryDeadlines>(options_.pool_size, options_.query_timeout);
    if (url_.backend == Backend::sqlite && url_.sqlite_path.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(url_.sqlite_path.parent_path(), ec);
        if (ec) throw StoreUnavailable("cannot create the folder of " + describe(url_) + ": " + ec.message());
    }
    pool_ = std::make_unique<soci::connection_pool>(options_.pool_size);
    for (std::size_t pos = 0; pos < options_.pool_size; ++pos) connect(pos);
}

Database::~Database() {
    deadlines_.reset();  // the watchdog stops before the sockets it watches are closed
    for (Slot& slot : slots_)
        if (slot.socket >= 0) ::close(slot.socket);
}

std::unique_ptr<soci::session> Database::open_unbounded_session() {
    try {
        auto sql = std::make_unique<soci::session>(*factory_, unbounded_connect_string_);
        configure(*sql);
        return sql;
    } catch (const soci::soci_error& e) {
        throw StoreUnavailable("cannot connect to the " + describe(url_) + ": " + e.get_error_message());
    }
}


void Database::connect(std::size_t pos) {
    Slot& slot = slots_[pos];
    soci::session& sql = pool_->at(pos);
    try {
        if (slot.open) {
            sql.reconnect();
        } else {
            sql.open(*factory_, url_.connect_string);
            slot.open = true;
        }
        if (deadlines_) {
            if (slot.socket >= 0) ::close(slot.socket);
            slot.socket = watched_socket(sql);
        }
        slot.broken = false;  // before configure: a deadline that fires there marks it broken again
        bounded(pos, [&] { configure(sql); });
        slot.checked_epoch = failure_epoch_.load();
    } catch (const soci::soci_error& e) {
        slot.broken = true;
        throw StoreUnavailable("cannot connect to the " + describe(url_) + ": " + e.get_error_message());
    }
}

void Database::configure(soci::session& sql) {
    const long long busy_ms = options_.busy_timeout.count();
    switch (url_.backend) {
        case Backend::sqlite: {
            int busy = 0;
            sql << "PRAGMA busy_timeout = " + std::to_string(busy_ms), soci::into(busy);
            std::string mode;
            sql << "PRAGMA journal_mode = WAL", soci::into(mode);
            sql << "PRAGMA synchronous = NORMAL";
            sql << "PRAGMA foreign_keys = ON";
            break;
        }
        case Backend::postgresql:
            sql << "SET lock_timeout = " + std::to_string(busy_ms);
            break;
        case Backend::mysql:
            sql << "SET SESSION innodb_lock_wait_timeout = " + std::to_string((busy_ms + 999) / 1000);
            sql << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
            break;
    }
}

// Reopens a connection known to be broken, and checks one that has not been used since another
// connection failed (the server may have restarted under all of them).
void Database::prepare(std::size_t pos) {
    Slot& slot = slots_[pos];
    const std::uint64_t epoch = failure_epoch_.load();
    if (!slot.broken && slot.checked_epoch < epoch) {
        try {
            int one = 0;
            bounded(pos, [&] { pool_->at(pos) << "SELECT 1", soci::into(one); });
        } catch (const soci::soci_error&) {
            slot.broken = true;
        }
        slot.checked_epoch = epoch;
    }
    if (slot.broken || !slot.open) connect(pos);
}

void Database::execute(std::size_t pos, const std::function<void(soci::session&)>& fn) {
    soci::session& sql = pool_->at(pos);
    // Classified inside the bound: telling a query error from a lost connection may ping the server.
    bounded(pos, [&] {
        try {
            fn(sql);
        } catch (const soci::soci_error& e) {
            switch (classify_failure(e, sql, url_.backend)) {
                case FailureKind::query:
                    throw;
                case FailureKind::connection_lost:
                    slots_[pos].broken = true;
                    failure_epoch_.fetch_add(1);
                    throw StoreUnavailable("lost the connection to the " + describe(url_) + ": " + e.get_error_message());
                case FailureKind::unavailable:
                    throw StoreUnavailable("the " + describe(url_) + " is unavailable: " + e.get_error_message());
            }
            throw;
        }
    });
}

void Database::bounded(std::size_t pos, const std::function<void()>& fn) {
    if (!deadlines_) return fn();
    deadlines_->arm(pos, slots_[pos].socket);
    try {
        fn();
    } catch (...) {
        if (deadlines_->disarm(pos)) timed_out(pos);  // the error came from the shut socket
        throw;
    }
    // Shut just as the answer came: the answer stands, the connection does not.
    if (deadlines_->disarm(pos)) slots_[pos].broken = true;
}

void Database::timed_out(std::size_t pos) {
    slots_[pos].broken = true;
    failure_epoch_.fetch_add(1);
    throw StoreUnavailable("the " + describe(url_) + " did not answer within " +
                           std::to_string(options_.query_timeout.count()) + " ms");
}

void Database::with_session(const std::function<void(soci::session&)>& fn) {
    if (const auto* open = find_transaction(this)) {
        execute(open->pos, fn);
        return;
    }
    PoolLease lease(*this);
    prepare(lease.pos());
    execute(lease.pos(), fn);
}

void Database::with_transaction(const std::function<void()>& fn) {
    if (find_transaction(this) != nullptr) {
        fn();  // joins the outer transaction
        return;
    }
    PoolLease lease(*this);
    prepare(lease.pos());
    const std::size_t pos = lease.pos();
    execute(pos, [this](soci::session& sql) {
        if (url_.backend == Backend::sqlite)
            sql << "BEGIN IMMEDIATE";  // take the write lock now: no deadlock-prone lock upgrade later
        else
            sql.begin();
    });
    open_transactions.push_back({this, pos});
    const auto close_transaction = [this] {
        std::erase_if(open_transactions, [this](const OpenTransaction& t) { return t.db == this; });
    };
    try {
        fn();
    } catch (...) {
        close_transaction();
        if (!slots_[pos].broken) {
            try {
                bounded(pos, [&] { pool_->at(pos).rollback(); });
            } catch (const std::exception&) {
                slots_[pos].broken = true;  // a connection that cannot roll back is not reused as is
            }
        }
        throw;
    }
    close_transaction();
    execute(pos, [](soci::session& sql) { sql.commit(); });
}

}  // namespace latchkey::store
