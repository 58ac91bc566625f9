// Sender: the outbox delivery loop.
#include "mail/sender.h"

#include <algorithm>

namespace latchkey::mail {

std::chrono::seconds retry_delay(const SenderOptions& options, std::int64_t failures) {
    std::chrono::seconds delay = options.first_retry;
    for (std::int64_t i = 1; i < failures && delay < options.max_retry; ++i) delay *= 2;
    return std::min(delay, options.max_retry);
}

Sender::Sender(store::Database& db, std::unique_ptr<Transport> transport, SenderOptions options, LogFn log)
    : outbox_(db), transport_(std::move(transport)), options_(std::move(options)), log_(std::move(log)) {
    if (options_.batch_size == 0) options_.batch_size = 1;
    thread_ = std::thread([this] { run(); });
}

Sender::~Sender() { stop(); }

void Sender::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    changed_.notify_all();
}

void Sender::stop() {
    std::call_once(stop_once_, [this] {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        changed_.notify_all();
        transport_->cancel();
        if (thread_.joinable()) thread_.join();
    });
}

std::int64_t Sender::now() const { return options_.now ? options_.now() : unix_now(); }

void Sender::log(const std::string& line) const {
    if (log_) log_(line);
}

void Sender::run() {
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            woken_ = false;
        }
        std::chrono::milliseconds wait{0};
        try {
            wait = pass();
        } catch (const store::StoreUnavailable& e) {
            log(std::string("mail sender: database unavailable, retrying: ") + e.what());
            wait = options_.store_retry;
        } catch (const std::exception& e) {
            log(std::string("mail sender: ") + e.what());
            wait = options_.store_retry;
        }
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, wait, [this] { return woken_ || stopping_; });
    }
}

std::chrono::milliseconds Sender::pass() {
    record_sent();
    const auto mails = outbox_.due(now(), options_.batch_size);
    for (const auto& mail : mails) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return std::chrono::milliseconds(0);
        }
        deliver(mail);
    }
    if (options_.pending) options_.pending(outbox_.pending_count());
    if (mails.size() == options_.batch_size) return std::chrono::milliseconds(0);  // more may be due
    std::chrono::milliseconds wait = options_.idle_poll;
    if (const auto next = outbox_.next_attempt_at()) {
        const auto until_next = std::chrono::seconds(std::max<std::int64_t>(0, *next - now()));
        // At least a moment: a mail due "now" but not returned is another host's, claimed.
        wait = std::clamp<std::chrono::milliseconds>(until_next, std::chrono::milliseconds(50), wait);
    }
    return wait;
}

void Sender::deliver(const store::OutboxMail& mail) {
    const bool already_sent = std::any_of(unrecorded_.begin(), unrecorded_.end(),
                                          [&](const auto& sent) { return sent.first == mail.id; });
    if (already_sent) return;
    if (!outbox_.claim(mail.id, mail.next_attempt_at, now() + options_.claim_lease.count())) return;  // another host's
    SendResult result;
    try {
        result = transport_->send(Message{mail.recipient, mail.subject, mail.body_text, mail.body_html});
    } catch (const std::exception& e) {
        result = {false, e.what()};
    }
    if (options_.attempted) options_.attempted(result.ok);
    if (result.ok) {
        unrecorded_.emplace_back(mail.id, now());
        record_sent();
        return;
    }
    const std::int64_t failures = mail.attempts + 1;
    const auto delay = retry_delay(options_, failures);
    log("mail " + mail.id + ": attempt " + std::to_string(failures) + " failed, next in " +
        std::to_string(delay.count()) + " s: " + result.error);
    outbox_.mark_failed(mail.id, result.error, now() + delay.count());
}

void Sender::record_sent() {
    while (!unrecorded_.empty()) {
        outbox_.mark_sent(unrecorded_.front().first, unrecorded_.front().second);  // throws while the database is down
        unrecorded_.erase(unrecorded_.begin());
    }
}

}  // namespace latchkey::mail
