#include "store/query_deadlines.h"

#include <sys/socket.h>

#include <algorithm>

namespace latchkey::store {

QueryDeadlines::QueryDeadlines(std::size_t positions, std::chrono::milliseconds timeout)
    : timeout_(timeout), entries_(positions) {}

QueryDeadlines::~QueryDeadlines() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    if (watcher_.joinable()) watcher_.join();
}

void QueryDeadlines::arm(std::size_t pos, int fd) {
    if (fd < 0) return;
    {
        std::lock_guard lock(mutex_);
        entries_[pos] = Entry{fd, true, false, Clock::now() + timeout_};
        if (!watcher_.joinable()) watcher_ = std::thread([this] { watch(); });
    }
    changed_.notify_all();
}

bool QueryDeadlines::disarm(std::size_t pos) {
    std::lock_guard lock(mutex_);
    const bool fired = entries_[pos].fired;
    entries_[pos] = Entry{};
    return fired;
}

void QueryDeadlines::watch() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        auto next = Clock::time_point::max();
        const auto now = Clock::now();
        for (Entry& entry : entries_) {
            if (!entry.armed || entry.fired) continue;
            if (entry.deadline <= now) {
                // The owner is blocked in a read or write on fd and still holds it open (it disarms,
                // under this mutex, before giving the connection back): shutting it down is safe.
                ::shutdown(entry.fd, SHUT_RDWR);
                entry.fired = true;
            } else {
                next = std::min(next, entry.deadline);
            }
        }
        if (next == Clock::time_point::max())
            changed_.wait(lock);
        else
            changed_.wait_until(lock, next);
    }
}

}  // namespace latchkey::store
