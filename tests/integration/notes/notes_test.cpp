// The notes example plugin (CONTRACT §6) behind the real host and auth plugin, on SQLite: every
// route is protected, a caller only ever sees and deletes their own notes, bodies are validated,
// the admin route needs role admin from the auth config's `protect` prefix AND from the route's
// own roles, and the auth filter's CSRF check covers the plugin's cookie-authenticated POSTs.
#include "auth_test_support.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace latchkey::test::auth {
namespace {

const std::string kNotesPlugin = LATCHKEY_NOTES_PLUGIN;
const std::string kProtectAdmin = R"({"protect": [{"prefix": "/api/admin", "roles": ["admin"]}]})";

std::string notes_entry(const std::string& config = "{}") {
  return R"({"name": "notes", "path": ")" + kNotesPlugin + R"(", "config": )" + config + "}";
}

// {"text": text} with RapidJSON's escaping.
std::string text_body(const std::string& text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("text");
  writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
  writer.EndObject();
  return buffer.GetString();
}

class Notes : public AuthFixture {
 protected:
  // The host with auth (+ patch) and notes; alice and bob as plain users, logged in.
  void start(const std::string& auth_patch = kProtectAdmin, const std::string& notes_config = "{}") {
    start_host(auth_patch, {notes_entry(notes_config)});
    if (HasFatalFailure()) return;
    add_user("alice@example.com");
    add_user("bob@example.com");
    alice = access_token_of(login_ok("alice@example.com"));
    bob = access_token_of(login_ok("bob@example.com"));
  }
  std::string login_admin() {
    add_user("admin@example.com", kPassword, {"--confirmed", "--role", "admin"});
    return access_token_of(login_ok("admin@example.com"));
  }
  HttpResult create(const std::string& token, const std::string& text) {
    return http.post(url("/api/notes"), text_body(text), json_with(bearer(token)));
  }
  // Creates a note and returns its id.
  std::string create_ok(const std::string& token, const std::string& text) {
    const HttpResult created = create(token, text);
    EXPECT_EQ(created.status, 201) << created.body;
    return string_member(parse_json(created.body), "id");
  }
  HttpResult remove(const std::string& token, const std::string& id) {
    return http.request("DELETE", url("/api/notes/" + id), bearer(token));
  }
  // The notes array of a GET; fails the test unless it answers 200 with {"notes": [...]}.
  rapidjson::Document list(const std::string& path, const std::string& token) {
    const HttpResult listed = http.get(url(path), bearer(token));
    EXPECT_EQ(listed.status, 200) << listed.body;
    rapidjson::Document json = parse_json(listed.body);
    EXPECT_TRUE(json.IsObject() && json.HasMember("notes") && json["notes"].IsArray()) << listed.body;
    return json;
  }
  std::vector<std::string> texts(const std::string& token) {
    std::vector<std::string> out;
    const rapidjson::Document json = list("/api/notes", token);
    if (json.IsObject() && json.HasMember("notes"))
      for (const auto& note : json["notes"].GetArray()) out.push_back(string_member(note, "text"));
    return out;
  }
  std::string subject_of(const std::string& token) { return string_member(jwt_claims(token), "sub"); }

  std::string alice, bob;
};

TEST_F(Notes, EveryRouteNeedsAToken) {
  start();
  for (const std::string& token : {std::string(), std::string("not.a.token")}) {
    const Headers auth = token.empty() ? Headers{} : bearer(token);
    const HttpResult listed = http.get(url("/api/notes"), auth);
    EXPECT_TRUE(is_json_error(listed, 401, "invalid_token"));
    EXPECT_EQ(listed.header("WWW-Authenticate").rfind("Bearer", 0), 0u);
    EXPECT_TRUE(is_json_error(http.post(url("/api/notes"), text_body("x"), json_with(auth)), 401, "invalid_token"));
    EXPECT_TRUE(is_json_error(http.request("DELETE", url("/api/notes/1"), auth), 401, "invalid_token"));
    EXPECT_TRUE(is_json_error(http.get(url("/api/admin/notes"), auth), 401, "invalid_token"));
  }
  EXPECT_TRUE(texts(alice).empty()) << "nothing was created anonymously";
}

TEST_F(Notes, AliceCreatesAndListsHerNotesNewestFirst) {
  start();
  const HttpResult created = create(alice, "first");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.header("Content-Type").rfind("application/json", 0), 0u);
  const rapidjson::Document note = parse_json(created.body);
  EXPECT_NE(string_member(note, "id"), "<absent>");
  EXPECT_EQ(string_member(note, "text"), "first");
  EXPECT_EQ(string_member(note, "createdAt").size(), 20u) << "ISO 8601 UTC: " << created.body;
  create_ok(alice, "second, with ünïcødé and \"quotes\"");
  const std::string longest(2000, 'a');
  create_ok(alice, longest);
  EXPECT_EQ(texts(alice), (std::vector<std::string>{longest, "second, with ünïcødé and \"quotes\"", "first"}));
  // The cookie works like the Bearer header (no Origin: a same-site or non-browser client).
  const HttpResult by_cookie = http.get(url("/api/notes"), cookie("accessToken", alice));
  EXPECT_EQ(by_cookie.status, 200);
  EXPECT_EQ(parse_json(by_cookie.body)["notes"].Size(), 3u);
}

TEST_F(Notes, BobCannotSeeOrDeleteAlicesNotes) {
  start();
  const std::string id = create_ok(alice, "alice's secret");
  EXPECT_TRUE(texts(bob).empty());
  const HttpResult refused = remove(bob, id);
  EXPECT_TRUE(is_json_error(refused, 404, "not_found"));
  EXPECT_EQ(refused.body, remove(bob, "999999").body) << "someone else's note looks like a missing one";
  EXPECT_EQ(texts(alice), std::vector<std::string>{"alice's secret"});
  EXPECT_TRUE(is_json_error(remove(alice, "999999"), 404, "not_found"));
  EXPECT_TRUE(is_json_error(remove(alice, "%2e%2e"), 404, "not_found"));
}

TEST_F(Notes, DeleteRemovesTheNote) {
  start();
  const std::string keep = create_ok(alice, "keep");
  const std::string drop = create_ok(alice, "drop");
  ASSERT_NE(keep, drop);
  const HttpResult removed = remove(alice, drop);
  EXPECT_EQ(removed.status, 204) << removed.body;
  EXPECT_TRUE(removed.body.empty());
  EXPECT_EQ(texts(alice), std::vector<std::string>{"keep"});
  EXPECT_TRUE(is_json_error(remove(alice, drop), 404, "not_found")) << "gone for good";
}

TEST_F(Notes, BadBodiesAre400AndTheHostStaysUp) {
  start();
  const std::vector<std::pair<std::string, Headers>> bad = {
      {text_body("no content type"), bearer(alice)},
      {text_body("wrong type"), {{"Authorization", "Bearer " + alice}, {"Content-Type", "text/plain"}}},
      {text_body("other type"), {{"Authorization", "Bearer " + alice}, {"Content-Type", "application/xml"}}},
      {"", json_with(bearer(alice))},
      {"{\"text\": \"unterminated", json_with(bearer(alice))},
      {"[\"text\"]", json_with(bearer(alice))},
      {"\"text\"", json_with(bearer(alice))},
      {R"({"text": "a"} {"text": "b"})", json_with(bearer(alice))},
      {"{}", json_with(bearer(alice))},
      {R"({"note": "wrong name"})", json_with(bearer(alice))},
      {R"({"text": 42})", json_with(bearer(alice))},
      {R"({"text": null})", json_with(bearer(alice))},
      {R"({"text": ""})", json_with(bearer(alice))},
      {R"({"text": "a", "text": "b"})", json_with(bearer(alice))},
      {"{\"text\": \"\xff\xfe\"}", json_with(bearer(alice))},
      {"{\"text\": \"\xc0\xaf\"}", json_with(bearer(alice))},
      {R"({"text": "\ud800"})", json_with(bearer(alice))},
      {R"({"text": "\udc00"})", json_with(bearer(alice))},
      {text_body(std::string(2001, 'a')), json_with(bearer(alice))},
      {std::string(5000, '[') + std::string(5000, ']'), json_with(bearer(alice))},
  };
  for (const auto& [body, headers] : bad) {
    EXPECT_TRUE(is_json_error(http.post(url("/api/notes"), body, headers), 400, "invalid_request"))
        << "body: " << body.substr(0, 80);
  }
  EXPECT_TRUE(texts(alice).empty());
  EXPECT_TRUE(host.running());
  EXPECT_EQ(create(alice, "still here").status, 201);
  EXPECT_EQ(http.post(url("/api/notes"), text_body("charset"),
                      {{"Authorization", "Bearer " + alice}, {"Content-Type", "application/json; charset=utf-8"}})
                .status,
            201);
}

TEST_F(Notes, AdminRouteNeedsRoleAdmin) {
  start();
  create_ok(alice, "from alice");
  create_ok(bob, "from bob");
  EXPECT_TRUE(is_json_error(http.get(url("/api/admin/notes"), bearer(alice)), 403, "insufficient_role"));
  const std::string admin = login_admin();
  const rapidjson::Document all = list("/api/admin/notes", admin);
  ASSERT_EQ(all["notes"].Size(), 2u);
  EXPECT_EQ(string_member(all["notes"][0], "text"), "from bob") << "newest first";
  EXPECT_EQ(string_member(all["notes"][0], "owner"), subject_of(bob));
  EXPECT_EQ(string_member(all["notes"][1], "text"), "from alice");
  EXPECT_EQ(string_member(all["notes"][1], "owner"), subject_of(alice));
  EXPECT_TRUE(texts(admin).empty()) << "/api/notes stays the admin's own list";
}

TEST_F(Notes, RouteRolesRefuseANonAdminEvenWithoutTheProtectPrefix) {
  start("{}");  // the operator forgot the protect entry: the route's own roles still hold
  create_ok(alice, "from alice");
  EXPECT_TRUE(is_json_error(http.get(url("/api/admin/notes"), bearer(alice)), 403, "insufficient_role"));
  EXPECT_TRUE(is_json_error(http.get(url("/api/admin/notes")), 401, "invalid_token"));
  const rapidjson::Document all = list("/api/admin/notes", login_admin());
  ASSERT_EQ(all["notes"].Size(), 1u);
  EXPECT_EQ(string_member(all["notes"][0], "owner"), subject_of(alice));
}

TEST_F(Notes, CookieAuthenticatedPostFromAForeignOriginIsRefused) {
  start();
  const Headers foreign = json_with({{"Cookie", "accessToken=" + alice}, {"Origin", "https://evil.example"}});
  EXPECT_TRUE(is_json_error(http.post(url("/api/notes"), text_body("csrf"), foreign), 403, "origin_not_allowed"));
  const std::string id = create_ok(alice, "mine");
  EXPECT_TRUE(is_json_error(http.request("DELETE", url("/api/notes/" + id),
                                         {{"Cookie", "accessToken=" + alice}, {"Origin", "https://evil.example"}}),
                            403, "origin_not_allowed"));
  EXPECT_EQ(texts(alice), std::vector<std::string>{"mine"}) << "nothing changed";
  const Headers own = json_with({{"Cookie", "accessToken=" + alice}, {"Origin", host.base_url()}});
  EXPECT_EQ(http.post(url("/api/notes"), text_body("same origin"), own).status, 201);
}

TEST_F(Notes, NotesPerUserAreCapped) {
  start(kProtectAdmin, R"({"max_notes_per_user": 3})");
  std::string first;
  for (int i = 0; i < 3; ++i) {
    const std::string id = create_ok(alice, "n" + std::to_string(i));
    if (i == 0) first = id;
  }
  EXPECT_TRUE(is_json_error(create(alice, "one too many"), 413, "too_many_notes"));
  EXPECT_EQ(create(bob, "bob has room").status, 201);
  EXPECT_EQ(remove(alice, first).status, 204);
  EXPECT_EQ(create(alice, "room again").status, 201);
}

TEST_F(Notes, BadPluginConfigStopsTheHost) {
  write_config(kProtectAdmin, {notes_entry(R"({"max_notes_per_user": 0, "colour": "red"})")});
  const ExitResult checked =
      run_program(kHostBinary, {"--config", host.config_path().string(), "--check-config"}, "", host.dir());
  EXPECT_NE(checked.exit_code, 0);
  EXPECT_NE(checked.err.find("/plugins/1/config/max_notes_per_user"), std::string::npos) << checked.err;
  EXPECT_NE(checked.err.find("/plugins/1/config/colour"), std::string::npos) << checked.err;
  EXPECT_FALSE(host.start({}, true, std::chrono::seconds(10)));
}

}  // namespace
}  // namespace latchkey::test::auth
