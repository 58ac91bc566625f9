// Bounds how long a pooled connection may wait on its server. A server that hangs without closing
// the connection (frozen, or a peer whose kernel still acknowledges) would otherwise hold a worker
// forever: libpq has no read timeout. A watchdog thread shuts the socket of a connection whose
// deadline passed, so the blocked client call fails at once and the pool reconnects it later.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

namespace latchkey::store {

class QueryDeadlines {
public:
    using Clock = std::chrono::steady_clock;

    // One entry per pool position. The thread starts on the first arm().
    QueryDeadlines(std::size_t positions, std::chrono::milliseconds timeout);
    ~QueryDeadlines();
    QueryDeadlines(const QueryDeadlines&) = delete;
    QueryDeadlines& operator=(const QueryDeadlines&) = delete;

    std::chrono::milliseconds timeout() const { return timeout_; }

    // Position pos starts waiting on socket fd (fd < 0: nothing to watch) until now + timeout.
    void arm(std::size_t pos, int fd);
    // The wait is over. True when the deadline had passed and the socket was shut down.
    bool disarm(std::size_t pos);

private:
    struct Entry {
        int fd = -1;
        bool armed = false;
        bool fired = false;
        Clock::time_point deadline{};
    };
    void watch();

    const std::chrono::milliseconds timeout_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Entry> entries_;
    bool stopping_ = false;
    std::thread watcher_;
};

}  // namespace latchkey::store
