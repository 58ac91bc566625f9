// MailOutboxStore on SQLite: transactional enqueue, due order, claim, sent/failed bookkeeping.
#include "store/mail_outbox_store.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "scratch_sqlite.h"

namespace latchkey::mail::testing {
namespace {

using store::MailOutboxStore;

class MailOutbox : public ::testing::Test {
protected:
    ScratchSqlite scratch_;
    MailOutboxStore outbox_{scratch_.db()};
};

TEST_F(MailOutbox, EnqueueInARolledBackTransactionLeavesNoRow) {
    EXPECT_THROW(scratch_.db().transaction([&] {
        outbox_.enqueue("a@b.c", "S", "T", "H", 100);
        throw std::runtime_error("the user change failed");
    }),
                 std::runtime_error);
    EXPECT_TRUE(outbox_.pending().empty());
    EXPECT_TRUE(outbox_.due(1000, 10).empty());
}

TEST_F(MailOutbox, EnqueueInACommittedTransactionIsDueAtOnce) {
    const auto id = scratch_.db().transaction([&] { return outbox_.enqueue("a@b.c", "Subject ✓", "text", "<p>h</p>", 100); });
    const auto due = outbox_.due(100, 10);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].id, id);
    EXPECT_EQ(due[0].recipient, "a@b.c");
    EXPECT_EQ(due[0].subject, "Subject ✓");
    EXPECT_EQ(due[0].body_text, "text");
    EXPECT_EQ(due[0].body_html, "<p>h</p>");
    EXPECT_EQ(due[0].created_at, 100);
    EXPECT_EQ(due[0].attempts, 0);
    EXPECT_EQ(due[0].next_attempt_at, 100);
    EXPECT_FALSE(due[0].sent_at);
    EXPECT_FALSE(due[0].last_error);
    EXPECT_TRUE(outbox_.due(99, 10).empty());
}

TEST_F(MailOutbox, EmptyHtmlIsStoredAsNullAndReadBackEmpty) {
    outbox_.enqueue("a@b.c", "S", "T", "", 100);
    int nulls = 0;
    scratch_.db().run([&](soci::session& sql) { sql << "SELECT COUNT(*) FROM mail_outbox WHERE body_html IS NULL", soci::into(nulls); });
    EXPECT_EQ(nulls, 1);
    EXPECT_EQ(outbox_.pending().at(0).body_html, "");
}

TEST_F(MailOutbox, DueIsEarliestFirstAndLimited) {
    const auto late = outbox_.enqueue("late@b.c", "S", "T", "", 300);
    const auto early = outbox_.enqueue("early@b.c", "S", "T", "", 100);
    const auto middle = outbox_.enqueue("middle@b.c", "S", "T", "", 200);
    const auto due = outbox_.due(1000, 2);
    ASSERT_EQ(due.size(), 2u);
    EXPECT_EQ(due[0].id, early);
    EXPECT_EQ(due[1].id, middle);
    EXPECT_EQ(outbox_.due(250, 10).size(), 2u);
    (void)late;
}

TEST_F(MailOutbox, MarkSentRemovesFromDueAndPending) {
    const auto id = outbox_.enqueue("a@b.c", "S", "T", "", 100);
    outbox_.mark_sent(id, 150);
    EXPECT_TRUE(outbox_.due(1000, 10).empty());
    EXPECT_TRUE(outbox_.pending().empty());
    EXPECT_FALSE(outbox_.next_attempt_at());
    EXPECT_EQ(outbox_.purge_sent(151), 1);
}

TEST_F(MailOutbox, MarkFailedCountsTheAttemptKeepsTheErrorAndDefers) {
    const auto id = outbox_.enqueue("a@b.c", "S", "T", "", 100);
    outbox_.mark_failed(id, "connection refused", 105);
    EXPECT_TRUE(outbox_.due(104, 10).empty());
    auto due = outbox_.due(105, 10);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].attempts, 1);
    EXPECT_EQ(due[0].last_error, "connection refused");
    EXPECT_EQ(outbox_.next_attempt_at(), 105);

    outbox_.mark_failed(id, std::string(5000, 'e'), 115);
    outbox_.mark_sent(id, 120);
    const auto rows = scratch_.db().run([&](soci::session& sql) {
        int attempts = 0;
        soci::indicator error_ind = soci::i_ok;
        std::string error;
        sql << "SELECT attempts, last_error FROM mail_outbox WHERE id = :id", soci::into(attempts), soci::into(error, error_ind),
            soci::use(id);
        return std::pair(attempts, error_ind == soci::i_null);
    });
    EXPECT_EQ(rows.first, 3);  // two failures and the delivery
    EXPECT_TRUE(rows.second);  // a delivered mail carries no error
}

TEST_F(MailOutbox, ErrorsAreTruncated) {
    const auto id = outbox_.enqueue("a@b.c", "S", "T", "", 100);
    outbox_.mark_failed(id, std::string(5000, 'e'), 100);
    EXPECT_EQ(outbox_.pending().at(0).last_error->size(), 1000u);
}

TEST_F(MailOutbox, PendingListsUnsentOldestFirst) {
    const auto a = outbox_.enqueue("a@b.c", "S", "T", "", 100);
    const auto b = outbox_.enqueue("b@b.c", "S", "T", "", 200);
    const auto c = outbox_.enqueue("c@b.c", "S", "T", "", 300);
    outbox_.mark_sent(b, 250);
    outbox_.mark_failed(a, "down", 10000);
    const auto pending = outbox_.pending();
    ASSERT_EQ(pending.size(), 2u);
    EXPECT_EQ(pending[0].id, a);
    EXPECT_EQ(pending[0].last_error, "down");
    EXPECT_EQ(pending[1].id, c);
    EXPECT_EQ(outbox_.pending(1).size(), 1u);
}

TEST_F(MailOutbox, ClaimHasOneWinner) {
    const auto id = outbox_.enqueue("a@b.c", "S", "T", "", 100);
    const auto due = outbox_.due(100, 10).at(0);
    EXPECT_TRUE(outbox_.claim(id, due.next_attempt_at, 400));
    EXPECT_FALSE(outbox_.claim(id, due.next_attempt_at, 400));  // a second sender that read the same row
    EXPECT_TRUE(outbox_.due(399, 10).empty());                   // leased
    EXPECT_EQ(outbox_.due(400, 10).size(), 1u);                  // due again if the claimer died
}

}  // namespace
}  // namespace latchkey::mail::testing
