// Sender with a fake transport and a fake clock: retries with backoff, delivers once, survives a
// locked database, wakes at once, stops promptly.
#include "mail/sender.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "scratch_sqlite.h"
#include "store/soci_backend.h"

namespace latchkey::mail::testing {
namespace {

using namespace std::chrono_literals;

// Fails the first `failures` sends, then succeeds; records what it was given.
class FlakyTransport : public Transport {
public:
    explicit FlakyTransport(int failures) : failures_left_(failures) {}
    SendResult send(const Message& message) override {
        std::lock_guard lock(mutex_);
        calls_.push_back(message);
        if (failures_left_ > 0) {
            --failures_left_;
            return {false, "421 try again later"};
        }
        delivered_.push_back(message);
        return {true, ""};
    }
    std::size_t calls() const {
        std::lock_guard lock(mutex_);
        return calls_.size();
    }
    std::vector<Message> delivered() const {
        std::lock_guard lock(mutex_);
        return delivered_;
    }

private:
    mutable std::mutex mutex_;
    int failures_left_;
    std::vector<Message> calls_, delivered_;
};

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 5000ms) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return condition();
}

class MailSender : public ::testing::Test {
protected:
    SenderOptions fast_options() {
        SenderOptions options;
        options.idle_poll = 20ms;
        options.store_retry = 20ms;
        options.now = [this] { return clock_.load(); };
        return options;
    }
    std::vector<store::OutboxMail> all_pending() { return store::MailOutboxStore(scratch_.db()).pending(); }

    std::atomic<std::int64_t> clock_{1000};
    ScratchSqlite scratch_;
    store::MailOutboxStore outbox_{scratch_.db()};
};

TEST(MailSenderBackoff, RetryDelayDoublesUpToTheCap) {
    SenderOptions options;  // 5 s, capped at 1 h
    EXPECT_EQ(retry_delay(options, 1), 5s);
    EXPECT_EQ(retry_delay(options, 2), 10s);
    EXPECT_EQ(retry_delay(options, 3), 20s);
    EXPECT_EQ(retry_delay(options, 10), 2560s);
    EXPECT_EQ(retry_delay(options, 11), 3600s);
    EXPECT_EQ(retry_delay(options, 1000), 3600s);
}

TEST_F(MailSender, FailingTransportIsRetriedWithBackoffAndDeliversOnce) {
    outbox_.enqueue("u@example.org", "Subject", "text", "<p>html</p>", 1000);
    auto transport = std::make_unique<FlakyTransport>(2);
    auto* fake = transport.get();
    Sender sender(scratch_.db(), std::move(transport), fast_options());

    ASSERT_TRUE(eventually([&] { return fake->calls() == 1; }));
    ASSERT_TRUE(eventually([&] { return all_pending().at(0).attempts == 1; }));
    EXPECT_EQ(all_pending().at(0).next_attempt_at, 1005);  // first retry after 5 s
    EXPECT_EQ(all_pending().at(0).last_error, "421 try again later");

    clock_ = 1004;  // not yet
    std::this_thread::sleep_for(150ms);
    EXPECT_EQ(fake->calls(), 1u);

    clock_ = 1005;
    ASSERT_TRUE(eventually([&] { return fake->calls() == 2; }));
    ASSERT_TRUE(eventually([&] { return all_pending().at(0).attempts == 2; }));
    EXPECT_EQ(all_pending().at(0).next_attempt_at, 1015);  // then after 10 s

    clock_ = 1014;
    std::this_thread::sleep_for(150ms);
    EXPECT_EQ(fake->calls(), 2u);

    clock_ = 1015;
    ASSERT_TRUE(eventually([&] { return fake->delivered().size() == 1; }));
    ASSERT_TRUE(eventually([&] { return all_pending().empty(); }));
    clock_ = 100000;
    sender.wake();
    std::this_thread::sleep_for(150ms);
    EXPECT_EQ(fake->calls(), 3u);  // never again once delivered
    const auto delivered = fake->delivered().at(0);
    EXPECT_EQ(delivered.to, "u@example.org");
    EXPECT_EQ(delivered.subject, "Subject");
    EXPECT_EQ(delivered.text, "text");
    EXPECT_EQ(delivered.html, "<p>html</p>");
    int attempts = 0;
    scratch_.db().run([&](soci::session& sql) { sql << "SELECT attempts FROM mail_outbox", soci::into(attempts); });
    EXPECT_EQ(attempts, 3);
}

TEST_F(MailSender, WakeDeliversAtOnce) {
    auto options = fast_options();
    options.idle_poll = 1h;  // only wake() can make it look
    auto transport = std::make_unique<FlakyTransport>(0);
    auto* fake = transport.get();
    Sender sender(scratch_.db(), std::move(transport), options);
    std::this_thread::sleep_for(100ms);
    scratch_.db().transaction([&] { outbox_.enqueue("u@example.org", "S", "t", "", 1000); });
    sender.wake();
    EXPECT_TRUE(eventually([&] { return fake->delivered().size() == 1; }, 2000ms));
}

TEST_F(MailSender, ManyMailsAreAllDeliveredOnce) {
    for (int i = 0; i < 45; ++i) outbox_.enqueue("u" + std::to_string(i) + "@example.org", "S", "t", "", 1000);
    auto transport = std::make_unique<FlakyTransport>(0);
    auto* fake = transport.get();
    Sender sender(scratch_.db(), std::move(transport), fast_options());  // batches of 20
    ASSERT_TRUE(eventually([&] { return fake->delivered().size() == 45; }));
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(fake->calls(), 45u);
    EXPECT_TRUE(all_pending().empty());
}

TEST_F(MailSender, LockedDatabaseDelaysDeliveryButLosesNothing) {
    outbox_.enqueue("u@example.org", "S", "t", "", 1000);
    store::DatabaseOptions short_waits;
    short_waits.busy_timeout = 50ms;
    store::Database sender_db(scratch_.db().url(), short_waits);
    // Another writer holds the write lock: the sender's claim fails with "database is locked".
    soci::session blocker(store::soci_backend(store::Backend::sqlite), scratch_.db().url().connect_string);
    blocker << "BEGIN IMMEDIATE";

    std::vector<std::string> log;
    std::mutex log_mutex;
    auto transport = std::make_unique<FlakyTransport>(0);
    auto* fake = transport.get();
    Sender sender(sender_db, std::move(transport), fast_options(), [&](std::string_view line) {
        std::lock_guard lock(log_mutex);
        log.emplace_back(line);
    });
    ASSERT_TRUE(eventually([&] {
        std::lock_guard lock(log_mutex);
        return !log.empty();
    }));
    EXPECT_NE(log.front().find("database unavailable"), std::string::npos) << log.front();
    EXPECT_EQ(fake->calls(), 0u);

    blocker << "ROLLBACK";
    EXPECT_TRUE(eventually([&] { return fake->delivered().size() == 1; }));
    EXPECT_TRUE(eventually([&] { return all_pending().empty(); }));
    EXPECT_EQ(fake->calls(), 1u);
}

TEST_F(MailSender, StopIsPrompt) {
    auto options = fast_options();
    options.idle_poll = 1h;
    Sender sender(scratch_.db(), std::make_unique<FlakyTransport>(0), options);
    std::this_thread::sleep_for(50ms);
    const auto started = std::chrono::steady_clock::now();
    sender.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 500ms);
    sender.stop();  // idempotent
}

}  // namespace
}  // namespace latchkey::mail::testing
