// UserStore: case-insensitive unique emails, roles, flags, listing.
#include "store/user_store.h"

#include <algorithm>

#include "store/email.h"
#include "test_database.h"

namespace latchkey::store::testing {
namespace {

using Users = StoreTest;

NewUser new_user(std::string email, std::vector<std::string> roles = {"user"}) {
    NewUser user;
    user.email = std::move(email);
    user.password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
    user.roles = std::move(roles);
    user.created_at = now_seconds();
    return user;
}

TEST_P(Users, CreateThenFindByEmailAndId) {
    UserStore users(db());
    const auto created = users.create(new_user("  Alice@Example.COM ", {"user", "admin"}));
    ASSERT_EQ(created.outcome, CreateUserOutcome::created);
    EXPECT_EQ(created.id.size(), 32u);
    const auto by_email = users.find_by_email("alice@example.com");
    ASSERT_TRUE(by_email);
    EXPECT_EQ(by_email->id, created.id);
    EXPECT_EQ(by_email->email, "alice@example.com");
    EXPECT_EQ(by_email->roles, (std::vector<std::string>{"admin", "user"}));
    EXPECT_TRUE(by_email->active);
    EXPECT_FALSE(by_email->confirmed_at);
    const auto by_id = users.find_by_id(created.id);
    ASSERT_TRUE(by_id);
    EXPECT_EQ(by_id->email, "alice@example.com");
    EXPECT_FALSE(users.find_by_email("bob@example.com"));
    EXPECT_FALSE(users.find_by_id("nope"));
}

TEST_P(Users, EveryRoleIsFoundSorted) {
    UserStore users(db());
    std::vector<std::string> roles;
    for (int i = 0; i < 20; ++i) roles.push_back("role" + std::to_string(100 - i));
    const auto id = users.create(new_user("many@example.com", roles)).id;
    std::sort(roles.begin(), roles.end());
    EXPECT_EQ(users.find_by_id(id)->roles, roles);
    const auto none = users.create(new_user("none@example.com", {})).id;
    EXPECT_TRUE(users.find_by_id(none)->roles.empty());
}

TEST_P(Users, EmailIsUniqueCaseInsensitively) {
    UserStore users(db());
    const auto first = users.create(new_user("carol@example.com"));
    const auto second = users.create(new_user("CAROL@Example.com"));
    EXPECT_EQ(second.outcome, CreateUserOutcome::duplicate_email);
    EXPECT_EQ(second.id, first.id);
    EXPECT_EQ(users.list().size(), 1u);
}

TEST_P(Users, DuplicateEmailInsideATransactionLeavesItUsable) {
    UserStore users(db());
    users.create(new_user("dave@example.com"));
    db().transaction([&] {
        EXPECT_EQ(users.create(new_user("dave@example.com")).outcome, CreateUserOutcome::duplicate_email);
        EXPECT_EQ(users.create(new_user("erin@example.com")).outcome, CreateUserOutcome::created);
    });
    EXPECT_TRUE(users.find_by_email("erin@example.com"));
}

TEST_P(Users, FailedTransactionLeavesNoUser) {
    UserStore users(db());
    EXPECT_THROW(db().transaction([&] {
        users.create(new_user("frank@example.com"));
        throw std::runtime_error("mail could not be queued");
    }), std::runtime_error);
    EXPECT_FALSE(users.find_by_email("frank@example.com"));
}

TEST_P(Users, FlagsRolesAndPasswordChange) {
    UserStore users(db());
    auto user = new_user("gina@example.com");
    user.password_hash.reset();
    const auto id = users.create(user).id;
    EXPECT_FALSE(users.find_by_id(id)->password_hash);
    EXPECT_TRUE(users.set_active(id, false));
    EXPECT_TRUE(users.set_active(id, false));  // unchanged row still counts as found (MySQL too)
    EXPECT_FALSE(users.find_by_id(id)->active);
    EXPECT_TRUE(users.add_role(id, "admin"));
    EXPECT_TRUE(users.add_role(id, "admin"));
    EXPECT_EQ(users.find_by_id(id)->roles, (std::vector<std::string>{"admin", "user"}));
    EXPECT_TRUE(users.remove_role(id, "user"));
    EXPECT_EQ(users.find_by_id(id)->roles, (std::vector<std::string>{"admin"}));
    EXPECT_TRUE(users.mark_confirmed(id, 1000));
    EXPECT_TRUE(users.mark_confirmed(id, 2000));
    EXPECT_EQ(users.find_by_id(id)->confirmed_at, 1000);
    EXPECT_TRUE(users.set_password_hash(id, "new-hash"));
    EXPECT_EQ(users.find_by_id(id)->password_hash, "new-hash");
    EXPECT_FALSE(users.set_active("unknown", true));
    EXPECT_FALSE(users.add_role("unknown", "admin"));
    EXPECT_FALSE(users.mark_confirmed("unknown", 1));
}

TEST_P(Users, ListReturnsEveryUserWithRoles) {
    UserStore users(db());
    users.create(new_user("h1@example.com", {"user"}));
    users.create(new_user("h2@example.com", {"admin", "user"}));
    const auto all = users.list();
    ASSERT_EQ(all.size(), 2u);
    for (const auto& u : all)
        EXPECT_EQ(u.roles.size(), u.email == "h2@example.com" ? 2u : 1u) << u.email;
}

TEST_P(Users, HostileEmailIsStoredAsData) {
    UserStore users(db());
    const std::string hostile = "x'); DROP TABLE users; --@example.com";
    ASSERT_EQ(users.create(new_user(hostile)).outcome, CreateUserOutcome::created);
    EXPECT_TRUE(users.find_by_email(hostile));
    EXPECT_EQ(users.list().size(), 1u);
}

TEST(EmailNormalisation, TrimsAndLowercasesAsciiOnly) {
    EXPECT_EQ(normalise_email(" \tMiXeD@Example.Org\r\n"), "mixed@example.org");
    EXPECT_EQ(normalise_email("Ünïcode@EXAMPLE.org"), "Ünïcode@example.org");
}

INSTANTIATE_TEST_SUITE_P(Backends, Users, ::testing::Values(Backend::sqlite, Backend::postgresql, Backend::mysql),
                         backend_param_name);

}  // namespace
}  // namespace latchkey::store::testing
