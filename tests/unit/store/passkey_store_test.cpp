// PasskeyStore and WebAuthnChallengeStore on each backend: a credential id belongs to one passkey
// (whoever registers it second is refused, nothing changed), only the owner's own is found and
// removed, a use moves the counter only from the value read (one winner at once, the same value
// twice in a second still a use on MariaDB), flagging once; challenges by purpose, single use
// under concurrency, expiring, purged.
#include "store/passkey_store.h"

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "store/token_hash.h"
#include "store/user_store.h"
#include "store/webauthn_challenge_store.h"
#include "test_database.h"

namespace latchkey::store::testing {
namespace {

class Passkeys : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        ann_ = add_user("ann@example.com");
        bob_ = add_user("bob@example.com");
    }
    std::string add_user(const std::string& email) {
        NewUser user;
        user.email = email;
        user.created_at = now_seconds();
        return UserStore(db()).create(user).id;
    }
    Passkey passkey(const std::string& user_id, const std::string& credential_id, std::int64_t created_at = 1000) {
        Passkey p;
        p.id = new_id();
        p.user_id = user_id;
        p.credential_id = credential_id;
        p.public_key = "pQECAyYgASFYIA";
        p.algorithm = -7;
        p.sign_count = 0;
        p.transports = {"internal", "hybrid"};
        p.name = "Laptop ✓";
        p.created_at = created_at;
        return p;
    }
    std::string ann_, bob_;
};

TEST_P(Passkeys, InsertedPasskeysAreFoundAsStored) {
    PasskeyStore store(db());
    const Passkey stored = passkey(ann_, "Y3JlZGVudGlhbC0x");
    ASSERT_TRUE(store.insert(stored));
    const auto found = store.find_by_credential_id("Y3JlZGVudGlhbC0x");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, stored.id);
    EXPECT_EQ(found->user_id, ann_);
    EXPECT_EQ(found->public_key, stored.public_key);
    EXPECT_EQ(found->algorithm, -7);
    EXPECT_EQ(found->sign_count, 0);
    EXPECT_EQ(found->transports, (std::vector<std::string>{"internal", "hybrid"}));
    EXPECT_EQ(found->name, "Laptop ✓");
    EXPECT_EQ(found->created_at, 1000);
    EXPECT_FALSE(found->last_used_at);
    EXPECT_FALSE(found->flagged_at);
    EXPECT_FALSE(store.find_by_credential_id("y3JlZGVudGlhbC0x")) << "credential ids differ by case";
    EXPECT_TRUE(store.find_for_user(stored.id, ann_));
    EXPECT_FALSE(store.find_for_user(stored.id, bob_));
}

TEST_P(Passkeys, ACredentialIdBelongsToOnePasskey) {
    PasskeyStore store(db());
    ASSERT_TRUE(store.insert(passkey(ann_, "c2FtZQ")));
    Passkey again = passkey(bob_, "c2FtZQ");
    again.public_key = "b3RoZXI";
    EXPECT_FALSE(store.insert(again));
    EXPECT_FALSE(store.insert(passkey(ann_, "c2FtZQ")));
    EXPECT_EQ(store.find_by_credential_id("c2FtZQ")->user_id, ann_);
    EXPECT_EQ(store.find_by_credential_id("c2FtZQ")->public_key, "pQECAyYgASFYIA");
    EXPECT_EQ(store.count_for_user(bob_), 0);
    // Inside a transaction a refused insert leaves the transaction usable (PostgreSQL aborts on an error).
    db().transaction([&] {
        EXPECT_FALSE(store.insert(passkey(bob_, "c2FtZQ")));
        EXPECT_TRUE(store.insert(passkey(bob_, "b3duLWtleQ")));
    });
    EXPECT_EQ(store.count_for_user(bob_), 1);
}

TEST_P(Passkeys, ListsCountsAndRemovalsAreTheOwnersOnly) {
    PasskeyStore store(db());
    const Passkey second = passkey(ann_, "c2Vjb25k", 2000), first = passkey(ann_, "Zmlyc3Q", 1000);
    const Passkey bobs = passkey(bob_, "Ym9icw", 1500);
    for (const Passkey& p : {second, first, bobs}) ASSERT_TRUE(store.insert(p));
    const auto listed = store.list_for_user(ann_);
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].id, first.id) << "oldest first";
    EXPECT_EQ(listed[1].id, second.id);
    EXPECT_EQ(store.count_for_user(ann_), 2);
    EXPECT_FALSE(store.remove_for_user(bobs.id, ann_));
    EXPECT_EQ(store.count_for_user(bob_), 1);
    EXPECT_TRUE(store.remove_for_user(first.id, ann_));
    EXPECT_FALSE(store.remove_for_user(first.id, ann_));
    EXPECT_EQ(store.count_for_user(ann_), 1);
    EXPECT_FALSE(store.find_by_credential_id("Zmlyc3Q"));
}

TEST_P(Passkeys, AUseMovesTheCounterFromTheValueRead) {
    PasskeyStore store(db());
    const Passkey p = passkey(ann_, "dXNl");
    ASSERT_TRUE(store.insert(p));
    EXPECT_TRUE(store.record_use(p.id, 0, 5, 3000));
    EXPECT_EQ(store.find_by_credential_id("dXNl")->sign_count, 5);
    EXPECT_EQ(store.find_by_credential_id("dXNl")->last_used_at, 3000);
    EXPECT_FALSE(store.record_use(p.id, 0, 6, 3001)) << "read before the other use";
    EXPECT_TRUE(store.record_use(p.id, 5, 6, 3001));
    EXPECT_FALSE(store.record_use("unknown", 6, 7, 3002));
}

TEST_P(Passkeys, ACounterThatStaysZeroIsUsedTwiceInOneSecond) {
    PasskeyStore store(db());
    const Passkey p = passkey(ann_, "emVybw");
    ASSERT_TRUE(store.insert(p));
    EXPECT_TRUE(store.record_use(p.id, 0, 0, 3000));
    EXPECT_TRUE(store.record_use(p.id, 0, 0, 3000)) << "MariaDB reports no changed row; still a use";
}

TEST_P(Passkeys, AFlaggedPasskeyIsNotUsedAndFlaggedOnce) {
    PasskeyStore store(db());
    const Passkey p = passkey(ann_, "ZmxhZw");
    ASSERT_TRUE(store.insert(p));
    EXPECT_TRUE(store.flag(p.id, 4000));
    EXPECT_FALSE(store.flag(p.id, 4001));
    EXPECT_EQ(store.find_by_credential_id("ZmxhZw")->flagged_at, 4000);
    EXPECT_FALSE(store.record_use(p.id, 0, 1, 4002));
    EXPECT_FALSE(store.record_use(p.id, 0, 0, 4000));
    EXPECT_EQ(store.count_for_user(ann_), 1) << "still the user's: it still asks for a second factor";
}

TEST_P(Passkeys, ConcurrentUsesOfOneCounterHaveOneWinner) {
    constexpr int threads = 8;
    auto pool = open(threads);
    const Passkey p = passkey(ann_, "cmFjZQ");
    ASSERT_TRUE(PasskeyStore(db()).insert(p));
    std::latch start(threads);
    std::atomic<int> winners = 0;
    std::vector<std::thread> workers;
    for (int i = 0; i < threads; ++i)
        workers.emplace_back([&, i] {
            PasskeyStore store(*pool);
            start.arrive_and_wait();
            winners += store.record_use(p.id, 0, 1 + i, 5000);
        });
    for (auto& w : workers) w.join();
    EXPECT_EQ(winners, 1);
}

TEST_P(Passkeys, RemovingTheUserRemovesThePasskeys) {
    PasskeyStore store(db());
    ASSERT_TRUE(store.insert(passkey(bob_, "Y2FzY2FkZQ")));
    db().run([&](soci::session& sql) { sql << "DELETE FROM users WHERE id = :id", soci::use(bob_); });
    EXPECT_FALSE(store.find_by_credential_id("Y2FzY2FkZQ"));
}

class WebAuthnChallenges : public Passkeys {
protected:
    std::string issue(ChallengePurpose purpose, std::optional<std::string> user_id, std::int64_t expires_at = 1300) {
        const std::string hash = hash_token(random_hex(32));
        WebAuthnChallengeStore(db()).create({hash, purpose, std::move(user_id), 1000, expires_at});
        return hash;
    }
};

TEST_P(WebAuthnChallenges, AChallengeServesItsPurposeOnce) {
    WebAuthnChallengeStore store(db());
    const std::string registration = issue(ChallengePurpose::registration, ann_);
    const std::string sign_in = issue(ChallengePurpose::authentication, std::nullopt);
    const auto found = store.find_live(registration, ChallengePurpose::registration, 1100);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->user_id, ann_);
    EXPECT_EQ(found->expires_at, 1300);
    EXPECT_FALSE(store.find_live(registration, ChallengePurpose::authentication, 1100));
    EXPECT_FALSE(store.find_live(sign_in, ChallengePurpose::registration, 1100));
    EXPECT_FALSE(store.find_live(sign_in, ChallengePurpose::authentication, 1100)->user_id);
    EXPECT_FALSE(store.consume(sign_in, ChallengePurpose::registration, 1100));
    EXPECT_TRUE(store.consume(sign_in, ChallengePurpose::authentication, 1100));
    EXPECT_FALSE(store.consume(sign_in, ChallengePurpose::authentication, 1101));
    EXPECT_FALSE(store.find_live(sign_in, ChallengePurpose::authentication, 1101));
}

TEST_P(WebAuthnChallenges, ExpiredChallengesAreRefusedThenPurged) {
    WebAuthnChallengeStore store(db());
    const std::string old_one = issue(ChallengePurpose::authentication, std::nullopt, 1300);
    const std::string fresh = issue(ChallengePurpose::authentication, std::nullopt, 1600);
    EXPECT_FALSE(store.find_live(old_one, ChallengePurpose::authentication, 1300)) << "expires_at itself is too late";
    EXPECT_FALSE(store.consume(old_one, ChallengePurpose::authentication, 1300));
    EXPECT_EQ(store.purge_expired(1300), 1);
    EXPECT_FALSE(store.find_live(old_one, ChallengePurpose::authentication, 1200));
    EXPECT_TRUE(store.find_live(fresh, ChallengePurpose::authentication, 1300));
}

TEST_P(WebAuthnChallenges, ConcurrentConsumeHasOneWinner) {
    constexpr int threads = 10;
    auto pool = open(threads);
    const std::string hash = issue(ChallengePurpose::authentication, std::nullopt);
    std::latch start(threads);
    std::atomic<int> winners = 0;
    std::vector<std::thread> workers;
    for (int i = 0; i < threads; ++i)
        workers.emplace_back([&] {
            WebAuthnChallengeStore store(*pool);
            start.arrive_and_wait();
            winners += store.consume(hash, ChallengePurpose::authentication, 1100);
        });
    for (auto& w : workers) w.join();
    EXPECT_EQ(winners, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, Passkeys, ::testing::Values(Backend::sqlite, Backend::postgresql, Backend::mysql),
                         backend_param_name);
INSTANTIATE_TEST_SUITE_P(Backends, WebAuthnChallenges,
                         ::testing::Values(Backend::sqlite, Backend::postgresql, Backend::mysql), backend_param_name);

}  // namespace
}  // namespace latchkey::store::testing
