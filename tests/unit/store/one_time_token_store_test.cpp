// OneTimeTokenStore: single use, purpose-bound, expiring, one winner.
#include "store/one_time_token_store.h"

#include <latch>
#include <thread>

#include "store/token_hash.h"
#include "store/user_store.h"
#include "test_database.h"

namespace latchkey::store::testing {
namespace {

class OneTimeTokens : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        NewUser user;
        user.email = "o@example.com";
        user.created_at = now_seconds();
        user_id_ = UserStore(db()).create(user).id;
    }
    std::string issue(OneTimePurpose purpose, std::int64_t expires_at = 5000) {
        const std::string hash = hash_token(random_hex(32));
        OneTimeTokenStore(db()).create({hash, user_id_, purpose, 1000, expires_at});
        return hash;
    }
    std::string user_id_;
};

TEST_P(OneTimeTokens, TokenWorksOnce) {
    OneTimeTokenStore tokens(db());
    const auto hash = issue(OneTimePurpose::confirm);
    EXPECT_EQ(tokens.check(hash, OneTimePurpose::confirm, 2000).outcome, OneTimeOutcome::valid);
    const auto first = tokens.consume(hash, OneTimePurpose::confirm, 2000);
    EXPECT_EQ(first.outcome, OneTimeOutcome::valid);
    EXPECT_EQ(first.user_id, user_id_);
    EXPECT_EQ(tokens.consume(hash, OneTimePurpose::confirm, 2001).outcome, OneTimeOutcome::used);
}

TEST_P(OneTimeTokens, TokenIsBoundToItsPurpose) {
    OneTimeTokenStore tokens(db());
    const auto reset = issue(OneTimePurpose::reset);
    EXPECT_EQ(tokens.consume(reset, OneTimePurpose::confirm, 2000).outcome, OneTimeOutcome::unknown);
    EXPECT_EQ(tokens.consume(reset, OneTimePurpose::reset, 2000).outcome, OneTimeOutcome::valid);
}

TEST_P(OneTimeTokens, ExpiredAndUnknownTokensAreRefused) {
    OneTimeTokenStore tokens(db());
    const auto hash = issue(OneTimePurpose::reset, 3000);
    EXPECT_EQ(tokens.consume(hash, OneTimePurpose::reset, 3000).outcome, OneTimeOutcome::expired);
    EXPECT_EQ(tokens.consume(hash_token("nope"), OneTimePurpose::reset, 2000).outcome, OneTimeOutcome::unknown);
}

TEST_P(OneTimeTokens, CheckDoesNotUseTheTokenUp) {
    OneTimeTokenStore tokens(db());
    const auto hash = issue(OneTimePurpose::reset);
    EXPECT_EQ(tokens.check(hash, OneTimePurpose::reset, 2000).outcome, OneTimeOutcome::valid);
    EXPECT_EQ(tokens.check(hash, OneTimePurpose::reset, 2000).outcome, OneTimeOutcome::valid);
    EXPECT_EQ(tokens.consume(hash, OneTimePurpose::reset, 2000).outcome, OneTimeOutcome::valid);
}

TEST_P(OneTimeTokens, InvalidateForUserEndsUnusedTokensOfThatPurpose) {
    OneTimeTokenStore tokens(db());
    const auto reset = issue(OneTimePurpose::reset), confirm = issue(OneTimePurpose::confirm);
    EXPECT_EQ(tokens.invalidate_for_user(user_id_, OneTimePurpose::reset, 1500), 1);
    EXPECT_EQ(tokens.consume(reset, OneTimePurpose::reset, 2000).outcome, OneTimeOutcome::used);
    EXPECT_EQ(tokens.consume(confirm, OneTimePurpose::confirm, 2000).outcome, OneTimeOutcome::valid);
}

TEST_P(OneTimeTokens, ConcurrentConsumeHasOneWinner) {
    constexpr int threads = 10;
    auto pool = open(threads);
    const auto hash = issue(OneTimePurpose::reset);
    std::latch start(threads);
    std::atomic<int> valid = 0, used = 0;
    std::vector<std::thread> workers;
    for (int i = 0; i < threads; ++i)
        workers.emplace_back([&] {
            OneTimeTokenStore tokens(*pool);
            start.arrive_and_wait();
            const auto outcome = tokens.consume(hash, OneTimePurpose::reset, 2000).outcome;
            valid += outcome == OneTimeOutcome::valid;
            used += outcome == OneTimeOutcome::used;
        });
    for (auto& w : workers) w.join();
    EXPECT_EQ(valid, 1);
    EXPECT_EQ(used, threads - 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, OneTimeTokens,
                         ::testing::Values(Backend::sqlite, Backend::postgresql, Backend::mysql), backend_param_name);

}  // namespace
}  // namespace latchkey::store::testing
