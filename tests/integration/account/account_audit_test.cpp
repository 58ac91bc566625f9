// The audit log (CONTRACT §9) on each backend, through the real host, plugin and CLI: every event
// kind the auth plugin records today lands in auth_events and, for what the host did, as one JSON
// line in its log; `latchkey-auth audit` filters; old events are pruned; GET /api/auth/events shows
// the caller's own; and no password, token, cookie or one-time secret used in the test appears in
// the table or the log.
#include "account_test_support.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <thread>

namespace latchkey::test::account {
namespace {

using namespace std::chrono_literals;

struct Event {
  std::string event, user, session, address, user_agent, detail_json;
};

class AccountAudit : public AuthBackendTest {
 protected:
  std::filesystem::path mail_dir() const { return host.dir() / "mail"; }
  void start(const std::string& extra = "") {
    std::string patch = file_mail_patch(mail_dir());
    patch = merge_json(patch, R"({"tokens": {"refresh_reuse_grace_seconds": 1},
                                  "login_throttle": {"max_failures_per_account": 3}})");
    if (!extra.empty()) patch = merge_json(patch, extra);
    start_host(patch);
  }
  HttpResult post(const std::string& path, const std::string& json, Headers headers = kJson) {
    return http.post(auth_url(path), json, headers);
  }

  // Every event, newest first, as `latchkey-auth audit --json` prints them (checked to be JSON).
  std::vector<Event> events(const std::vector<std::string>& filters = {}) {
    std::vector<std::string> args = {"audit", "--json"};
    if (std::find(filters.begin(), filters.end(), "--limit") == filters.end()) args.insert(args.end(), {"--limit", "10000"});
    args.insert(args.end(), filters.begin(), filters.end());
    const ExitResult listed = cli(args);
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    std::vector<Event> out;
    std::istringstream lines(listed.out);
    for (std::string line; std::getline(lines, line);) {
      const rapidjson::Document json = parse_json(line);
      EXPECT_TRUE(json.IsObject()) << line;
      if (!json.IsObject()) continue;
      auto text = [&](const char* name) {
        return json.HasMember(name) && json[name].IsString() ? std::string(json[name].GetString()) : std::string();
      };
      const std::size_t detail_at = line.find("\"detail\":");
      out.push_back({text("audit"), text("user"), text("session"), text("address"), text("user_agent"),
                     detail_at == std::string::npos ? "" : line.substr(detail_at + 9, line.size() - detail_at - 10)});
    }
    return out;
  }
  static const Event* find(const std::vector<Event>& all, const std::string& name, const std::string& detail_part = "") {
    for (const Event& event : all)
      if (event.event == name && event.detail_json.find(detail_part) != std::string::npos) return &event;
    return nullptr;
  }
  std::string user_id(const std::string& email) {
    const ExitResult listed = cli({"user", "list"});
    std::istringstream lines(listed.out);
    for (std::string line; std::getline(lines, line);)
      if (line.find("\t" + email + "\t") != std::string::npos) return line.substr(0, line.find('\t'));
    return "";
  }
};

TEST_P(AccountAudit, EveryEventKindIsRecordedWithItsUserSessionAndClient) {
  start();
  const Headers agent = {{"Content-Type", "application/json"}, {"User-Agent", "AuditTest/1.0 (journey)"}};
  // user.registered, email.confirmed
  ASSERT_EQ(post("/register", R"({"email":"audit@example.com","password":")" + kPassword + R"("})", agent).status, 202);
  const auto mails = wait_for_mails(mail_dir(), 1);
  ASSERT_EQ(mails.size(), 1u);
  ASSERT_EQ(http.get(auth_url("/confirm?token=" + token_in(mails[0].text))).status, 200);
  const std::string id = user_id("audit@example.com");
  ASSERT_FALSE(id.empty());

  // login.failed (invalid_credentials), login.succeeded
  EXPECT_EQ(login("audit@example.com", "not the password").status, 401);
  const HttpResult session = login_ok("audit@example.com");
  const std::string session_id = string_member(jwt_claims(access_token_of(session)), "sid");
  const std::string refresh0 = set_cookie(session, "refreshToken")->value;

  // refresh.reuse_detected: a rotated token again after the 1 s grace window.
  ASSERT_EQ(refresh_with_cookie(refresh0).status, 200);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(refresh_with_cookie(refresh0).status, 401);

  // logout (a fresh session), logout_all, password.changed
  const HttpResult second = login_ok("audit@example.com");
  ASSERT_EQ(http.post(auth_url("/logout"), "", bearer(access_token_of(second))).status, 204);
  const std::string third = access_token_of(login_ok("audit@example.com"));
  ASSERT_EQ(http.post(auth_url("/logout-all"), "", bearer(third)).status, 204);
  const std::string fourth = access_token_of(login_ok("audit@example.com"));
  const std::string new_password = "an entirely new password";
  ASSERT_EQ(post("/password/change",
                 R"({"current_password":")" + kPassword + R"(","new_password":")" + new_password + R"("})",
                 json_with(bearer(fourth)))
                .status,
            200);

  // password.reset
  ASSERT_EQ(post("/password/forgot", R"({"email":"audit@example.com"})").status, 202);
  const auto with_reset = wait_for_mails(mail_dir(), 2);
  ASSERT_EQ(with_reset.size(), 2u);
  const std::string reset_password = "a reset password too";
  ASSERT_EQ(post("/password/reset",
                 R"({"token":")" + token_in(with_reset[1].text) + R"(","password":")" + reset_password + R"("})")
                .status,
            200);

  // login.failed (account_disabled), user.disabled/enabled, role.added/removed, session.revoked
  ASSERT_EQ(cli({"user", "disable", "audit@example.com"}).exit_code, 0);
  EXPECT_EQ(login("audit@example.com", reset_password).status, 403);
  ASSERT_EQ(cli({"user", "enable", "audit@example.com"}).exit_code, 0);
  ASSERT_EQ(cli({"user", "role", "audit@example.com", "add", "auditor"}).exit_code, 0);
  ASSERT_EQ(cli({"user", "role", "audit@example.com", "remove", "auditor"}).exit_code, 0);
  const std::string last_session = string_member(jwt_claims(access_token_of(login_ok("audit@example.com", reset_password))), "sid");
  ASSERT_EQ(cli({"sessions", "revoke", "audit@example.com"}).exit_code, 0);

  // login.failed (email_not_confirmed) of another account, login.rate_limited after 3 failures
  add_user("unconfirmed@example.com", kPassword, {});
  EXPECT_EQ(login("unconfirmed@example.com").status, 403);
  for (int i = 0; i < 3; ++i) login("audit@example.com", "wrong guess " + std::to_string(i));
  EXPECT_EQ(login("audit@example.com", "wrong guess 4").status, 429);

  const std::vector<Event> all = events();
  const std::set<std::string> expected = {"user.registered", "email.confirmed", "login.failed", "login.succeeded",
                                          "refresh.reuse_detected", "logout", "logout_all", "password.changed",
                                          "password.reset", "user.disabled", "user.enabled", "role.added",
                                          "role.removed", "session.revoked", "login.rate_limited"};
  std::set<std::string> seen;
  for (const Event& event : all) seen.insert(event.event);
  for (const std::string& name : expected) EXPECT_TRUE(seen.count(name)) << name << " was not recorded";

  const Event* registered = find(all, "user.registered", "\"method\":\"password\"");
  ASSERT_NE(registered, nullptr);
  EXPECT_EQ(registered->user, id);
  EXPECT_EQ(registered->address, "127.0.0.1");
  EXPECT_EQ(registered->user_agent, "AuditTest/1.0 (journey)");
  const Event* succeeded = find(all, "login.succeeded");
  ASSERT_NE(succeeded, nullptr);
  EXPECT_EQ(succeeded->user, id);
  EXPECT_FALSE(succeeded->session.empty());
  const Event* reuse = find(all, "refresh.reuse_detected");
  ASSERT_NE(reuse, nullptr);
  EXPECT_EQ(reuse->session, session_id);
  EXPECT_NE(find(all, "login.failed", "\"reason\":\"invalid_credentials\""), nullptr);
  EXPECT_NE(find(all, "login.failed", "\"reason\":\"account_disabled\""), nullptr);
  EXPECT_NE(find(all, "login.failed", "\"reason\":\"email_not_confirmed\""), nullptr);
  EXPECT_NE(find(all, "role.added", "\"role\":\"auditor\""), nullptr);
  const Event* revoked = find(all, "session.revoked");
  ASSERT_NE(revoked, nullptr);
  EXPECT_EQ(revoked->session, last_session);
  EXPECT_EQ(revoked->user_agent, "latchkey-auth") << "the CLI's changes say who made them";
  EXPECT_EQ(revoked->address, "");

  // What the host did is also one JSON line per event in its log; the CLI's changes are not (no host).
  const std::string log = host.stderr_text();
  for (const char* name : {"user.registered", "email.confirmed", "login.failed", "login.succeeded",
                           "refresh.reuse_detected", "logout", "logout_all", "password.changed", "password.reset",
                           "login.rate_limited"}) {
    EXPECT_NE(log.find(std::string("] {\"audit\":\"") + name + "\""), std::string::npos) << name << " not in the host log";
  }
  EXPECT_EQ(log.find("{\"audit\":\"role.added\""), std::string::npos);

  // Nothing secret in the table or the log: the exact values this test used.
  const ExitResult table = cli({"audit", "--json", "--limit", "10000"});
  const std::string refresh_now = set_cookie(session, "refreshToken")->value;
  for (const std::string& secret : {kPassword, new_password, reset_password, std::string("not the password"),
                                    access_token_of(session), refresh0, refresh_now, third, fourth,
                                    token_in(mails[0].text), token_in(with_reset[1].text), kSecret}) {
    EXPECT_EQ(table.out.find(secret), std::string::npos) << "a secret in auth_events: " << secret.substr(0, 6) << "…";
    EXPECT_EQ(log.find(secret), std::string::npos) << "a secret in the host log: " << secret.substr(0, 6) << "…";
  }
}

TEST_P(AccountAudit, CliFiltersByUserEventTimeAndLimitAndRefusesBadArguments) {
  start();
  add_user("one@example.com");
  add_user("two@example.com");
  login_ok("one@example.com");
  login_ok("two@example.com");
  // Events are ordered by their millisecond; two in the same one have no defined order.
  std::this_thread::sleep_for(5ms);
  login("two@example.com", "wrong password here");

  const std::vector<Event> two = events({"--user", "two@example.com"});
  ASSERT_EQ(two.size(), 3u);
  EXPECT_EQ(two[0].event, "login.failed") << "newest first";
  EXPECT_EQ(two[1].event, "login.succeeded");
  EXPECT_EQ(two[2].event, "user.registered");
  EXPECT_EQ(two[2].detail_json, R"({"method":"cli"})");
  EXPECT_EQ(two[2].user_agent, "latchkey-auth");
  EXPECT_EQ(events({"--event", "login.succeeded"}).size(), 2u);
  EXPECT_EQ(events({"--event", "login.succeeded", "--limit", "1"}).size(), 1u);
  EXPECT_EQ(events({"--since", "2999-01-01"}).size(), 0u);
  EXPECT_EQ(events({"--since", "2020-01-01T00:00:00Z"}).size(), 5u);

  const ExitResult table = cli({"audit", "--user", "one@example.com"});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("at\tevent\tuser\tsession\taddress\tuser_agent\tdetail\n", 0), 0u) << table.out;
  EXPECT_NE(table.out.find("\tlogin.succeeded\t"), std::string::npos) << table.out;

  for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{
           {"audit", "--since", "yesterday"}, {"audit", "--since", "2026-02-31"}, {"audit", "--limit", "0"},
           {"audit", "--limit", "abc"}, {"audit", "--user", "nobody@example.com"}}) {
    const ExitResult refused = cli(bad);
    EXPECT_EQ(refused.exit_code, 1) << bad[1] << " " << bad[2];
    EXPECT_EQ(refused.out, "");
    EXPECT_NE(refused.err.find("latchkey-auth: "), std::string::npos) << refused.err;
  }
}

TEST_P(AccountAudit, EventsOlderThanTheRetentionArePrunedAtStart) {
  write_config(R"({"audit": {"retention_days": 30}})");
  ASSERT_EQ(cli({"migrate"}).exit_code, 0);
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  const long long day = 86400000;
  execute_sql(database_url(),
              "INSERT INTO auth_events (id, at_ms, event, user_id, session_id, client_address, user_agent, detail) "
              "VALUES ('old-event', " + std::to_string(now_ms - 31 * day) + ", 'login.failed', NULL, NULL, '', '', '{}')");
  execute_sql(database_url(),
              "INSERT INTO auth_events (id, at_ms, event, user_id, session_id, client_address, user_agent, detail) "
              "VALUES ('recent-event', " + std::to_string(now_ms - 29 * day) + ", 'login.failed', NULL, NULL, '', '', '{}')");
  ASSERT_EQ(events().size(), 2u);
  start_host(R"({"audit": {"retention_days": 30}})");
  const std::vector<Event> left = events();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].event, "login.failed");
  EXPECT_EQ(events({"--since", "2020-01-01"}).size(), 1u);
}

TEST_P(AccountAudit, EventsRouteShowsTheCallersOwnNewestFirstAtMostFifty) {
  start(R"({"login_throttle": {"max_failures_per_account": 1000}})");
  EXPECT_EQ(http.get(auth_url("/events")).status, 401);
  add_user("mine@example.com");
  add_user("theirs@example.com");
  login("theirs@example.com", "wrong password here");
  for (int i = 0; i < 53; ++i) login("mine@example.com", "wrong password " + std::to_string(i % 2));
  std::this_thread::sleep_for(5ms);  // the newest event is the login below, in a millisecond of its own
  const std::string access = access_token_of(login_ok("mine@example.com"));

  const HttpResult answer = http.get(auth_url("/events"), bearer(access));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.header("Cache-Control"), "no-store");
  const rapidjson::Document body = parse_json(answer.body);
  ASSERT_TRUE(body.IsObject() && body.HasMember("events") && body["events"].IsArray()) << answer.body;
  const auto& list = body["events"];
  ASSERT_EQ(list.Size(), 50u);
  EXPECT_EQ(string_member(list[0], "event"), "login.succeeded") << "newest first";
  EXPECT_EQ(string_member(list[0], "address"), "127.0.0.1");
  EXPECT_TRUE(list[0]["detail"].IsObject());
  for (rapidjson::SizeType i = 1; i < list.Size(); ++i)
    EXPECT_GE(std::string(list[i - 1]["at"].GetString()), std::string(list[i]["at"].GetString()));
  const std::string theirs = user_id("theirs@example.com");
  EXPECT_EQ(answer.body.find(theirs), std::string::npos) << "another user's event was shown";
}

// A User-Agent may carry any byte from 0x80 (RFC 9110); PostgreSQL and MariaDB refuse invalid
// UTF-8. Stored as sent it would fail the audit row and with it the login it records.
TEST_P(AccountAudit, AUserAgentThatIsNotUtf8NeitherFailsTheChangeNorReachesTheTable) {
  start();
  add_user("latin1@example.com");
  const Headers latin1 = {{"Content-Type", "application/json"}, {"User-Agent", "Caf\xe9" "Browser/1 \xff"}};
  const HttpResult session =
      http.post(auth_url("/login"), R"({"email":"latin1@example.com","password":")" + kPassword + R"("})", latin1);
  ASSERT_EQ(session.status, 200) << session.body;
  EXPECT_EQ(http.post(auth_url("/login"), R"({"email":"latin1@example.com","password":"wrong one"})", latin1).status,
            401);
  const std::vector<Event> all = events({"--user", "latin1@example.com"});
  ASSERT_EQ(all.size(), 3u);  // user.registered (by the CLI), login.succeeded, login.failed
  EXPECT_EQ(all[0].user_agent, "Caf?Browser/1 ?");
  EXPECT_EQ(all[1].user_agent, "Caf?Browser/1 ?");
  EXPECT_NE(host.stderr_text().find("\"user_agent\":\"Caf?Browser/1 ?\""), std::string::npos);
}

// Other plugins get each event through ABI 1.2, after the commit, with the log line's JSON.
TEST_P(AccountAudit, OtherPluginsReceiveEventsThroughTheAbi) {
  const std::string listener = R"({"name": "listener", "path": ")" + std::string(LATCHKEY_EVENT_LISTENER_PLUGIN) +
                               R"(", "config": {"prefix": "/listener", "event": "login.failed"}})";
  start_host(file_mail_patch(mail_dir()), {listener});
  add_user("watched@example.com");
  EXPECT_EQ(login("watched@example.com", "not the password").status, 401);
  login_ok("watched@example.com");  // login.succeeded: not subscribed, not delivered
  rapidjson::Document received;
  ASSERT_TRUE(wait_until([&] {
    received = parse_json(http.get(url("/listener/events")).body);
    return received.IsObject() && received["events"].IsArray() && received["events"].Size() >= 1;
  }, 5s)) << http.get(url("/listener/events")).body;
  ASSERT_EQ(received["events"].Size(), 1u);
  EXPECT_EQ(string_member(received["events"][0], "name"), "login.failed");
  const rapidjson::Document event = parse_json(string_member(received["events"][0], "json"));
  EXPECT_EQ(string_member(event, "audit"), "login.failed");
  EXPECT_EQ(string_member(event, "user"), user_id("watched@example.com"));
  EXPECT_EQ(string_member(event["detail"], "reason"), "invalid_credentials");
}

INSTANTIATE_ON_EACH_BACKEND(AccountAudit);

}  // namespace
}  // namespace latchkey::test::account
