// The sessions a user sees and ends (CONTRACT §10), on each backend: two logins from two "devices"
// (another User-Agent, another client address), the list, revoking one (its access token refused
// within the revocation cache TTL, its refresh 401), logout-others, other users' ids, the CLI.
#include "auth_test_support.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <regex>
#include <sstream>
#include <thread>

namespace latchkey::test::auth {
namespace {

const std::string kFirefoxOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const std::string kSafariOnIphone =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
    "Mobile/15E148 Safari/604.1";

// One signed-in device: its tokens and the session they belong to.
struct Device {
  std::string access;
  std::string refresh;
  std::string session_id;
};

class AuthSessions : public AuthBackendTest {
 protected:
  static constexpr auto kCacheTtl = 500ms;
  static constexpr auto kMargin = 1000ms;

  void SetUp() override {
    AuthBackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    start_host(R"({"tokens": {"revocation_cache_ms": 500}})");
    phone_http.bind_to("127.0.0.2");
  }

  // Logs in through `client` (its address) with this User-Agent; asserts 200.
  Device sign_in(HttpClient& client, const std::string& email, const std::string& user_agent) {
    rapidjson::StringBuffer body;
    rapidjson::Writer<rapidjson::StringBuffer> writer(body);
    writer.StartObject();
    writer.Key("email");
    writer.String(email.c_str());
    writer.Key("password");
    writer.String(kPassword.c_str());
    writer.EndObject();
    const HttpResult result = client.post(auth_url("/login"), body.GetString(), json_with({{"User-Agent", user_agent}}));
    EXPECT_EQ(result.status, 200) << result.body << result.error;
    const auto refresh = set_cookie(result, "refreshToken");
    Device device{access_token_of(result), refresh ? refresh->value : "", ""};
    device.session_id = string_member(jwt_claims(device.access), "sid");
    return device;
  }
  Device laptop_sign_in(const std::string& email) { return sign_in(http, email, kFirefoxOnWindows); }
  Device phone_sign_in(const std::string& email) { return sign_in(phone_http, email, kSafariOnIphone); }

  rapidjson::Document list(const Device& device) {
    const HttpResult result = http.get(auth_url("/sessions"), bearer(device.access));
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.header("Cache-Control"), "no-store");
    rapidjson::Document body = parse_json(result.body);
    if (!body.IsObject() || !body.HasMember("sessions") || !body["sessions"].IsArray()) {
      ADD_FAILURE() << "not a sessions list: " << result.body;
      body.Parse(R"({"sessions":[]})");
    }
    return body;
  }
  std::vector<std::string> listed_ids(const Device& device) {
    std::vector<std::string> ids;
    const rapidjson::Document body = list(device);
    for (const auto& s : body["sessions"].GetArray()) ids.push_back(string_member(s, "id"));
    return ids;
  }
  HttpResult revoke(const Device& as, const std::string& session_id) {
    return http.request("DELETE", auth_url("/sessions/" + session_id), bearer(as.access));
  }
  bool access_works(const Device& device) { return http.get(auth_url("/me"), bearer(device.access)).status == 200; }
  // How long until the access token is refused; nullopt when still accepted after 5 s.
  std::optional<std::chrono::milliseconds> time_until_refused(const Device& device) {
    const auto start = std::chrono::steady_clock::now();
    if (!wait_until([&] { return !access_works(device); }, 5000ms)) return std::nullopt;
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  }
  void expect_ended(const Device& device) {
    const auto refused_after = time_until_refused(device);
    ASSERT_TRUE(refused_after) << "an ended session's access token is still accepted after 5 s";
    EXPECT_LE(*refused_after, kCacheTtl + kMargin);
    EXPECT_TRUE(is_json_error(refresh_with_cookie(device.refresh), 401, "invalid_refresh_token"));
  }
  // Sessions record whole seconds and the host's clock is the machine's: to see an order or a
  // change, the test lets the second turn over.
  static void next_second() {
    const auto now = std::chrono::system_clock::now();
    std::this_thread::sleep_until(std::chrono::ceil<std::chrono::seconds>(now) + 20ms);
  }

  HttpClient phone_http;  // connects from 127.0.0.2
};

TEST_P(AuthSessions, ListShowsEachDeviceNewestFirstWithTheCurrentOneMarked) {
  add_user("two-devices@example.com");
  add_user("someone-else@example.com");
  const Device laptop = laptop_sign_in("two-devices@example.com");
  next_second();
  const Device phone = phone_sign_in("two-devices@example.com");
  const Device other = laptop_sign_in("someone-else@example.com");

  const rapidjson::Document seen = list(laptop);
  const auto& sessions = seen["sessions"];
  ASSERT_EQ(sessions.Size(), 2u);
  const std::regex iso_time(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  const struct {
    const Device& device;
    bool current;
    const char* ip;
    const std::string& user_agent;
    const char* name;
  } expected[] = {{phone, false, "127.0.0.2", kSafariOnIphone, "Safari on iPhone"},
                  {laptop, true, "127.0.0.1", kFirefoxOnWindows, "Firefox on Windows"}};
  for (rapidjson::SizeType i = 0; i < 2; ++i) {
    const auto& s = sessions[i];
    SCOPED_TRACE(expected[i].name);
    EXPECT_EQ(string_member(s, "id"), expected[i].device.session_id);
    ASSERT_TRUE(s.HasMember("current") && s["current"].IsBool());
    EXPECT_EQ(s["current"].GetBool(), expected[i].current);
    EXPECT_EQ(string_member(s, "ip"), expected[i].ip);
    EXPECT_EQ(string_member(s, "userAgent"), expected[i].user_agent);
    EXPECT_EQ(string_member(s, "device"), expected[i].name);
    ASSERT_TRUE(s.HasMember("amr") && s["amr"].IsArray());
    ASSERT_EQ(s["amr"].Size(), 1u);
    EXPECT_STREQ(s["amr"][0].GetString(), "pwd");
    for (const char* time : {"createdAt", "lastUsedAt", "expiresAt"}) {
      EXPECT_TRUE(std::regex_match(string_member(s, time), iso_time)) << time << ": " << string_member(s, time);
    }
    EXPECT_EQ(string_member(s, "lastUsedAt"), string_member(s, "createdAt"));
    EXPECT_GT(string_member(s, "expiresAt"), string_member(s, "createdAt"));
  }
  EXPECT_GT(string_member(sessions[0], "createdAt"), string_member(sessions[1], "createdAt"));

  // Asked from the phone, the phone is the current one.
  const rapidjson::Document from_phone = list(phone);
  ASSERT_EQ(from_phone["sessions"].Size(), 2u);
  EXPECT_TRUE(from_phone["sessions"][0]["current"].GetBool());
  EXPECT_FALSE(from_phone["sessions"][1]["current"].GetBool());
  // Another user sees only their own.
  EXPECT_EQ(listed_ids(other), std::vector<std::string>{other.session_id});
}

TEST_P(AuthSessions, LastUsedAtMovesOnRefreshAndNotOnAPlainRequest) {
  add_user("last-used@example.com");
  const Device laptop = laptop_sign_in("last-used@example.com");
  const std::string created = string_member(list(laptop)["sessions"][0], "createdAt");
  next_second();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(access_works(laptop));
  EXPECT_EQ(string_member(list(laptop)["sessions"][0], "lastUsedAt"), created);

  const HttpResult refreshed = refresh_with_cookie(laptop.refresh);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  const Device after{access_token_of(refreshed), set_cookie(refreshed, "refreshToken")->value, laptop.session_id};
  const rapidjson::Document seen = list(after);
  ASSERT_EQ(seen["sessions"].Size(), 1u);
  EXPECT_EQ(string_member(seen["sessions"][0], "id"), laptop.session_id);
  EXPECT_EQ(string_member(seen["sessions"][0], "createdAt"), created);
  EXPECT_GT(string_member(seen["sessions"][0], "lastUsedAt"), created);
}

TEST_P(AuthSessions, RevokingTheOtherSessionStopsItsAccessAndRefreshTokens) {
  add_user("revoke-one@example.com");
  const Device laptop = laptop_sign_in("revoke-one@example.com");
  const Device phone = phone_sign_in("revoke-one@example.com");
  ASSERT_TRUE(access_works(phone));  // now cached as allowed

  const HttpResult revoked = revoke(laptop, phone.session_id);
  EXPECT_EQ(revoked.status, 204) << revoked.body;
  EXPECT_TRUE(set_cookies(revoked).empty()) << "ending another device must not sign this one out";
  expect_ended(phone);
  EXPECT_TRUE(access_works(laptop));
  EXPECT_EQ(listed_ids(laptop), std::vector<std::string>{laptop.session_id});
  // Already ended: nothing to end any more.
  EXPECT_TRUE(is_json_error(revoke(laptop, phone.session_id), 404, "not_found"));

  const ExitResult audit = cli({"audit", "--user", "revoke-one@example.com", "--event", "session.revoked", "--json"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_EQ(std::count(audit.out.begin(), audit.out.end(), '\n'), 1) << audit.out;
  EXPECT_NE(audit.out.find(phone.session_id), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find(R"("by":"user")"), std::string::npos) << audit.out;
}

TEST_P(AuthSessions, RevokingTheCurrentSessionSignsOutHere) {
  add_user("revoke-self@example.com");
  const Device laptop = laptop_sign_in("revoke-self@example.com");
  const Device phone = phone_sign_in("revoke-self@example.com");
  const HttpResult revoked = revoke(laptop, laptop.session_id);
  EXPECT_EQ(revoked.status, 204) << revoked.body;
  EXPECT_TRUE(clears_cookie(revoked, "accessToken"));
  EXPECT_TRUE(clears_cookie(revoked, "refreshToken"));
  expect_ended(laptop);
  EXPECT_TRUE(access_works(phone));
}

TEST_P(AuthSessions, LogoutOthersLeavesOnlyTheCurrentSession) {
  add_user("logout-others@example.com");
  add_user("bystander@example.com");
  const Device laptop = laptop_sign_in("logout-others@example.com");
  const Device phone = phone_sign_in("logout-others@example.com");
  const Device tablet = phone_sign_in("logout-others@example.com");
  const Device bystander = phone_sign_in("bystander@example.com");
  ASSERT_TRUE(access_works(phone));

  const HttpResult out = http.post(auth_url("/logout-others"), "", bearer(laptop.access));
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_TRUE(set_cookies(out).empty());
  EXPECT_EQ(listed_ids(laptop), std::vector<std::string>{laptop.session_id});
  expect_ended(phone);
  expect_ended(tablet);
  EXPECT_TRUE(access_works(laptop));
  EXPECT_EQ(listed_ids(bystander), std::vector<std::string>{bystander.session_id});
  // Alone already: still 204, still signed in.
  EXPECT_EQ(http.post(auth_url("/logout-others"), "", bearer(laptop.access)).status, 204);
  EXPECT_TRUE(access_works(laptop));
}

TEST_P(AuthSessions, AnotherUsersOrAnUnknownSessionIdIs404AndEndsNothing) {
  add_user("mallory@example.com");
  add_user("victim@example.com");
  const Device mallory = laptop_sign_in("mallory@example.com");
  const Device victim = phone_sign_in("victim@example.com");
  ASSERT_TRUE(access_works(victim));

  for (const std::string& id : {victim.session_id, std::string("0123456789abcdef0123456789abcdef"),
                                std::string("%C3%A9t%C3%A9"), std::string(200, 'a'), std::string("1%27%20OR%20%271")}) {
    EXPECT_TRUE(is_json_error(revoke(mallory, id), 404, "not_found")) << id;
  }
  // Nothing ended: the victim's tokens still work a cache TTL later, refresh included.
  std::this_thread::sleep_for(kCacheTtl + 100ms);
  EXPECT_TRUE(access_works(victim));
  EXPECT_EQ(listed_ids(victim), std::vector<std::string>{victim.session_id});
  EXPECT_EQ(refresh_with_cookie(victim.refresh).status, 200);
  EXPECT_TRUE(access_works(mallory));
}

TEST_P(AuthSessions, EveryRouteNeedsAToken) {
  add_user("no-token@example.com");
  const Device laptop = laptop_sign_in("no-token@example.com");
  EXPECT_TRUE(is_json_error(http.get(auth_url("/sessions")), 401, "invalid_token"));
  EXPECT_TRUE(is_json_error(http.request("DELETE", auth_url("/sessions/" + laptop.session_id)), 401, "invalid_token"));
  EXPECT_TRUE(is_json_error(http.post(auth_url("/logout-others"), ""), 401, "invalid_token"));
  EXPECT_TRUE(is_json_error(http.get(auth_url("/sessions"), bearer("not.a.token")), 401, "invalid_token"));
  // By cookie, an unsafe method from a foreign page is refused before it ends anything.
  const Headers foreign = {{"Cookie", "accessToken=" + laptop.access}, {"Origin", "http://evil.example"}};
  EXPECT_TRUE(is_json_error(http.post(auth_url("/logout-others"), "", foreign), 403, "origin_not_allowed"));
  EXPECT_TRUE(
      is_json_error(http.request("DELETE", auth_url("/sessions/" + laptop.session_id), foreign), 403, "origin_not_allowed"));
  EXPECT_TRUE(access_works(laptop));
}

TEST_P(AuthSessions, CliListsTheLiveSessionsOfAUser) {
  add_user("cli-list@example.com");
  const Device laptop = laptop_sign_in("cli-list@example.com");
  next_second();
  const Device phone = phone_sign_in("cli-list@example.com");
  const Device ended = laptop_sign_in("cli-list@example.com");
  ASSERT_EQ(revoke(laptop, ended.session_id).status, 204);

  const ExitResult listed = cli({"sessions", "list", "cli-list@example.com"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::vector<std::string> lines;
  std::istringstream out(listed.out);
  for (std::string line; std::getline(out, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 3u) << listed.out;
  EXPECT_EQ(lines[0], "id\tcreated\tlast_used\tip\tdevice\tamr");
  const std::regex row(R"(([0-9a-f]{32})\t(\S+Z)\t(\S+Z)\t([0-9.]+)\t([^\t]+)\tpwd)");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(lines[1], m, row)) << lines[1];
  EXPECT_EQ(m[1], phone.session_id);
  EXPECT_EQ(m[4], "127.0.0.2");
  EXPECT_EQ(m[5], "Safari on iPhone");
  ASSERT_TRUE(std::regex_match(lines[2], m, row)) << lines[2];
  EXPECT_EQ(m[1], laptop.session_id);
  EXPECT_EQ(m[4], "127.0.0.1");
  EXPECT_EQ(m[5], "Firefox on Windows");

  const ExitResult unknown = cli({"sessions", "list", "nobody@example.com"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.out, "");
  EXPECT_EQ(unknown.err, "latchkey-auth: no user with email nobody@example.com\n");
}

INSTANTIATE_ON_EACH_BACKEND(AuthSessions);

}  // namespace
}  // namespace latchkey::test::auth
