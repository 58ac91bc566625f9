// RefreshTokenStore: one winner under concurrency, reuse, expiry, revoked sessions.
#include "store/refresh_token_store.h"

#include <latch>
#include <stdexcept>
#include <thread>

#include "store/session_store.h"
#include "store/token_hash.h"
#include "store/user_store.h"
#include "test_database.h"

namespace latchkey::store::testing {
namespace {

using namespace std::chrono_literals;

class RefreshTokens : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        NewUser user;
        user.email = "r@example.com";
        user.created_at = now_seconds();
        user_id_ = UserStore(db()).create(user).id;
        session_ = SessionStore(db()).create(user_id_, 1000, 100000);
    }
    std::string issue(std::int64_t expires_at = 50000, std::optional<std::string> parent = std::nullopt) {
        const std::string hash = hash_token(random_hex(32));
        RefreshTokenStore(db()).insert({hash, session_.id, parent, 1000, expires_at});
        return hash;
    }
    std::string user_id_;
    Session session_;
};

TEST_P(RefreshTokens, ConsumeOnceThenAlreadyUsed) {
    RefreshTokenStore tokens(db());
    const auto hash = issue();
    const auto first = tokens.consume(hash, 2000s);
    EXPECT_EQ(first.outcome, ConsumeOutcome::consumed);
    EXPECT_EQ(first.session_id, session_.id);
    EXPECT_EQ(first.user_id, user_id_);
    EXPECT_EQ(first.session_expires_at, 100000);
    const auto second = tokens.consume(hash, 2005s);
    EXPECT_EQ(second.outcome, ConsumeOutcome::already_used);
    EXPECT_EQ(second.used_at, 2000s);
    EXPECT_EQ(second.session_id, session_.id);
}

// The reuse grace window is counted in milliseconds (CONTRACT §6): used_at must keep them.
TEST_P(RefreshTokens, UsedAtKeepsMilliseconds) {
    RefreshTokenStore tokens(db());
    const auto hash = issue();
    ASSERT_EQ(tokens.consume(hash, 2000250ms).outcome, ConsumeOutcome::consumed);
    const auto again = tokens.consume(hash, 2001s);
    EXPECT_EQ(again.outcome, ConsumeOutcome::already_used);
    EXPECT_EQ(again.used_at, 2000250ms);
}

// A host from before migration 003 marks a token used in used_at (seconds) alone.
TEST_P(RefreshTokens, TokenUsedByAnOlderHostReportsItsSecondInMilliseconds) {
    const auto hash = issue();
    db().run([&](soci::session& sql) {
        sql << "UPDATE refresh_tokens SET used_at = 2000 WHERE token_hash = :hash", soci::use(hash);
    });
    const auto result = RefreshTokenStore(db()).consume(hash, 2001s);
    EXPECT_EQ(result.outcome, ConsumeOutcome::already_used);
    EXPECT_EQ(result.used_at, 2000000ms);
}

TEST_P(RefreshTokens, ChildOfAConsumedTokenIsConsumable) {
    RefreshTokenStore tokens(db());
    const auto parent = issue();
    ASSERT_EQ(tokens.consume(parent, 2000s).outcome, ConsumeOutcome::consumed);
    const auto child = issue(50000, parent);
    EXPECT_EQ(tokens.consume(child, 2001s).outcome, ConsumeOutcome::consumed);
}

TEST_P(RefreshTokens, UnknownHashIsUnknown) {
    EXPECT_EQ(RefreshTokenStore(db()).consume(hash_token("never issued"), 2000s).outcome, ConsumeOutcome::unknown);
}

TEST_P(RefreshTokens, ExpiredTokenIsNotConsumed) {
    RefreshTokenStore tokens(db());
    const auto hash = issue(3000);
    EXPECT_EQ(tokens.consume(hash, 3000s).outcome, ConsumeOutcome::expired);
    EXPECT_EQ(tokens.consume(hash, 2999s).outcome, ConsumeOutcome::consumed);  // it was left unused
}

TEST_P(RefreshTokens, SessionPastItsAbsoluteExpiryIsExpired) {
    const auto hash = issue(200000);
    EXPECT_EQ(RefreshTokenStore(db()).consume(hash, 100000s).outcome, ConsumeOutcome::expired);
}

TEST_P(RefreshTokens, RevokedSessionRefusesItsTokens) {
    const auto hash = issue();
    SessionStore(db()).revoke(session_.id, 1500);
    const auto result = RefreshTokenStore(db()).consume(hash, 2000s);
    EXPECT_EQ(result.outcome, ConsumeOutcome::session_revoked);
    EXPECT_EQ(result.session_id, session_.id);
}

TEST_P(RefreshTokens, RefusalsAreCheckedInOrder) {
    RefreshTokenStore tokens(db());
    const auto hash = issue(3000);
    ASSERT_EQ(tokens.consume(hash, 2000s).outcome, ConsumeOutcome::consumed);
    const auto used_and_expired = tokens.consume(hash, 3000s);  // already_used comes before expired
    EXPECT_EQ(used_and_expired.outcome, ConsumeOutcome::already_used);
    EXPECT_EQ(used_and_expired.used_at, 2000s);
    SessionStore(db()).revoke(session_.id, 2500);  // session_revoked comes before already_used
    EXPECT_EQ(tokens.consume(hash, 2600s).outcome, ConsumeOutcome::session_revoked);
}

TEST_P(RefreshTokens, ConsumeInARolledBackTransactionLeavesTheTokenUnused) {
    RefreshTokenStore tokens(db());
    const auto hash = issue();
    const auto consume_then_fail = [&] {
        db().transaction([&] {
            EXPECT_EQ(tokens.consume(hash, 2000s).outcome, ConsumeOutcome::consumed);
            throw std::runtime_error("rolled back");
        });
    };
    EXPECT_THROW(consume_then_fail(), std::runtime_error);
    EXPECT_EQ(tokens.consume(hash, 2001s).outcome, ConsumeOutcome::consumed);
}

TEST_P(RefreshTokens, ConcurrentConsumeHasOneWinner) {
    constexpr int threads = 20;
    auto pool = open(threads);
    for (int round = 0; round < 3; ++round) {
        const auto hash = issue();
        std::latch start(threads);
        std::vector<ConsumeResult> results(threads);
        std::vector<std::string> errors(threads);
        std::vector<std::thread> workers;
        for (int i = 0; i < threads; ++i) {
            workers.emplace_back([&, i] {
                RefreshTokenStore tokens(*pool);
                start.arrive_and_wait();
                try {
                    results[i] = tokens.consume(hash, std::chrono::seconds(2000 + i));
                } catch (const std::exception& e) {
                    errors[i] = e.what();
                }
            });
        }
        for (auto& w : workers) w.join();
        int consumed = 0, already_used = 0;
        for (int i = 0; i < threads; ++i) {
            EXPECT_EQ(errors[i], "") << "thread " << i;
            consumed += results[i].outcome == ConsumeOutcome::consumed;
            already_used += results[i].outcome == ConsumeOutcome::already_used;
        }
        EXPECT_EQ(consumed, 1) << "round " << round;
        EXPECT_EQ(already_used, threads - 1) << "round " << round;
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, RefreshTokens,
                         ::testing::Values(Backend::sqlite, Backend::postgresql, Backend::mysql), backend_param_name);

}  // namespace
}  // namespace latchkey::store::testing
