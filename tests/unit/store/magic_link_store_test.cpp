// MagicLinkStore: single use, expiring, one winner under concurrency, purged once expired.
#include "store/magic_link_store.h"

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "store/token_hash.h"
#include "store/user_store.h"
#include "test_database.h"

namespace latchkey::store::testing {
namespace {

class MagicLinks : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        NewUser user;
        user.email = "m@example.com";
        user.created_at = now_seconds();
        user_id_ = UserStore(db()).create(user).id;
    }
    std::string issue(std::int64_t expires_at = 5000) {
        const std::string hash = hash_token(random_hex(32));
        MagicLinkStore(db()).create({hash, user_id_, 1000, expires_at});
        return hash;
    }
    std::string user_id_;
};

TEST_P(MagicLinks, LinkWorksOnceForItsUser) {
    MagicLinkStore links(db());
    const auto hash = issue();
    EXPECT_EQ(links.consume(hash, 2000), user_id_);
    EXPECT_EQ(links.consume(hash, 2001), std::nullopt);
}

TEST_P(MagicLinks, ExpiredAndUnknownLinksAreRefused) {
    MagicLinkStore links(db());
    const auto hash = issue(3000);
    EXPECT_EQ(links.consume(hash, 3000), std::nullopt);  // expires_at itself is too late
    EXPECT_EQ(links.consume(hash_token("nope"), 2000), std::nullopt);
    // A refused expired link was not marked used: it is still there until purged, and still refused.
    EXPECT_EQ(links.consume(hash, 2999), user_id_);
}

TEST_P(MagicLinks, PurgeDeletesOnlyExpiredLinks) {
    MagicLinkStore links(db());
    const auto old_link = issue(3000), fresh = issue(9000);
    EXPECT_EQ(links.purge_expired(3000), 1);
    EXPECT_EQ(links.consume(old_link, 2000), std::nullopt);  // gone, even at a time it was valid
    EXPECT_EQ(links.consume(fresh, 3000), user_id_);
    EXPECT_EQ(links.purge_expired(3000), 0);
}

TEST_P(MagicLinks, ConcurrentConsumeHasOneWinner) {
    constexpr int threads = 10;
    auto pool = open(threads);
    const auto hash = issue();
    std::latch start(threads);
    std::atomic<int> winners = 0, losers = 0;
    std::vector<std::thread> workers;
    for (int i = 0; i < threads; ++i)
        workers.emplace_back([&] {
            MagicLinkStore links(*pool);
            start.arrive_and_wait();
            const auto user = links.consume(hash, 2000);
            winners += user == user_id_;
            losers += !user.has_value();
        });
    for (auto& w : workers) w.join();
    EXPECT_EQ(winners, 1);
    EXPECT_EQ(losers, threads - 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, MagicLinks,
                         ::testing::Values(Backend::sqlite, Backend::postgresql, Backend::mysql), backend_param_name);

}  // namespace
}  // namespace latchkey::store::testing
