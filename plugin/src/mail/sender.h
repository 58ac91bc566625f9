// The background sender: delivers the outbox through a Transport on its own thread, with retry
// and exponential backoff, surviving database and mail-server outages. The HTTP path only
// enqueues (MailOutboxStore::enqueue) and calls wake().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "mail/transport.h"
#include "store/database.h"
#include "store/mail_outbox_store.h"

namespace latchkey::mail {

struct SenderOptions {
    std::size_t batch_size = 20;                 // mails read from the outbox per pass
    std::chrono::seconds first_retry{5};         // after the first failure; doubled after each one
    std::chrono::seconds max_retry{3600};        // the backoff's cap
    std::chrono::milliseconds idle_poll{30000};  // look at least this often (mails of other hosts)
    std::chrono::milliseconds store_retry{5000}; // wait after the database was unavailable
    std::chrono::seconds claim_lease{300};       // a claimed mail is due again after this (> SMTP timeout)
    std::function<std::int64_t()> now;          // Unix seconds; the system clock when empty
    // For metrics, on the sender's thread: each attempt's result, and the unsent mails after a pass.
    std::function<void(bool sent)> attempted;
    std::function<void(std::int64_t unsent)> pending;
};

// The delay before the next attempt of a mail that has failed `failures` times (1, 2, ...):
// first_retry * 2^(failures-1), capped at max_retry.
std::chrono::seconds retry_delay(const SenderOptions& options, std::int64_t failures);

class Sender {
public:
    // Starts the thread at once. `log` gets one line per failure or outage (never a body).
    Sender(store::Database& db, std::unique_ptr<Transport> transport, SenderOptions options = {}, LogFn log = {});
    ~Sender();  // stop()
    Sender(const Sender&) = delete;
    Sender& operator=(const Sender&) = delete;

    // Makes the thread look at the outbox now (after a transaction that enqueued mail committed).
    void wake();
    // Ends the thread: waits for a send in progress, which the transport is asked to cut short.
    // Idempotent. A mail being sent may be sent again later if its delivery could not be recorded.
    void stop();

private:
    void run();
    std::chrono::milliseconds pass();  // one look at the outbox; returns how long to wait
    void deliver(const store::OutboxMail& mail);
    void record_sent();                // writes down deliveries the database missed
    std::int64_t now() const;
    void log(const std::string& line) const;

    store::MailOutboxStore outbox_;
    std::unique_ptr<Transport> transport_;
    SenderOptions options_;
    LogFn log_;
    std::vector<std::pair<std::string, std::int64_t>> unrecorded_;  // sent, but mark_sent failed

    std::mutex mutex_;
    std::condition_variable changed_;
    bool woken_ = false;
    bool stopping_ = false;
    std::once_flag stop_once_;
    std::thread thread_;  // last: starts after everything above exists
};

}  // namespace latchkey::mail
