// A session is durable once login answered 200 (issue 16): the session, its refresh token and
// its audit row are committed before the answer leaves, so a host killed right after it (no
// shutdown, no drain, no SQLite checkpoint) comes back with the session live. SQLite's WAL with
// synchronous=NORMAL keeps a commit through a process crash; PostgreSQL and MariaDB sync theirs.
#include "auth_test_support.h"

#include <csignal>

namespace latchkey::test::auth {
namespace {

using namespace std::chrono_literals;

class AuthLoginDurability : public AuthBackendTest {};

TEST_P(AuthLoginDurability, ASessionAnswered200SurvivesTheHostKilledAtOnce) {
  start_host();
  add_user("durable@example.com");
  const HttpResult signed_in = login_ok("durable@example.com");
  const auto refresh = set_cookie(signed_in, "refreshToken");
  ASSERT_TRUE(refresh);
  const std::string access = access_token_of(signed_in);

  host.send_signal(SIGKILL);
  ASSERT_EQ(host.wait_exit(), -SIGKILL);
  ASSERT_TRUE(host.start({}, true, 30s)) << host.last_error();

  EXPECT_EQ(http.get(auth_url("/me"), bearer(access)).status, 200);
  const HttpResult refreshed = refresh_with_cookie(refresh->value);
  EXPECT_EQ(refreshed.status, 200) << refreshed.body;
  const ExitResult events = cli({"audit", "--event", "login.succeeded"});
  ASSERT_EQ(events.exit_code, 0) << events.err;
  EXPECT_NE(events.out.find("login.succeeded"), std::string::npos) << events.out;
}

INSTANTIATE_ON_EACH_BACKEND(AuthLoginDurability);

}  // namespace
}  // namespace latchkey::test::auth
