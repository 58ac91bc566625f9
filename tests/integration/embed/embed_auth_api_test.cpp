// Everything mount() puts on the application's router: the auth API end to end (register, the
// confirmation mail as a file, login, /api/me), the browser client, and the config's static
// folders.
#include "embed_test_support.h"

#include "account_test_support.h"

#include <fstream>
#include <iterator>

namespace latchkey::test::embed {
namespace {

class EmbeddedAuthApi : public EmbeddedApp {};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(EmbeddedAuthApi, RegisterConfirmLoginAndMeThroughTheApplication) {
  start_app();
  const std::string credentials = R"({"email":"new@example.com","password":")" + kPassword + R"("})";
  const HttpResult registered = http.post(url("/api/auth/register"), credentials, kJson);
  ASSERT_EQ(registered.status, 202) << registered.body;
  EXPECT_TRUE(is_json_error(http.post(url("/api/auth/login"), credentials, kJson), 403, "email_not_confirmed"));

  const auto mails = account::wait_for_mails(mail_dir(), 1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].to, "new@example.com");
  const std::string confirmation = account::token_in(mails[0].text);
  ASSERT_FALSE(confirmation.empty()) << mails[0].text;
  const HttpResult confirmed = http.post(url("/api/auth/confirm"), R"({"token":")" + confirmation + R"("})", kJson);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;

  const HttpResult login = http.post(url("/api/auth/login"), credentials, kJson);
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_TRUE(set_cookie(login, "accessToken").has_value()) << "cookies pass through the application's server";
  const std::string token = access_token_of(login);
  const HttpResult me = http.get(url("/api/me"), bearer(token));
  ASSERT_EQ(me.status, 200) << me.body;
  const rapidjson::Document body = parse_json(me.body);
  ASSERT_TRUE(body.IsObject() && body.HasMember("user"));
  EXPECT_EQ(string_member(body["user"], "email"), "new@example.com");
  EXPECT_EQ(http.get(url("/orders"), bearer(token)).status, 200);
  EXPECT_EQ(http.get(url("/.well-known/jwks.json")).status, 200);
}

TEST_F(EmbeddedAuthApi, ServesTheBrowserClient) {
  start_app();
  const HttpResult script = http.get(url("/api/auth/client.js"));
  ASSERT_EQ(script.status, 200);
  EXPECT_NE(script.header("Content-Type").find("javascript"), std::string::npos) << script.header("Content-Type");
  EXPECT_EQ(script.body, read_file(std::filesystem::path(kSourceDir) / "examples/web/latchkey-client.js"));
}

TEST_F(EmbeddedAuthApi, WrongMethodIsTheApplicationRoutersAnswer) {
  // Latchkey's routes are routes of the application's router: a method they do not take is
  // answered by that router (Pistache: 405 with Allow), not by Latchkey.
  start_app();
  const HttpResult wrong = http.get(url("/api/auth/login"));
  EXPECT_EQ(wrong.status, 405);
  EXPECT_NE(wrong.header("Allow").find("POST"), std::string::npos) << wrong.header("Allow");
}

TEST_F(EmbeddedAuthApi, ServesTheStaticFoldersOfTheConfig) {
  app.write_file("web/index.html", "<h1>shop</h1>");
  app.write_file("web/css/site.css", "h1 {}");
  start_app("{}", {}, R"("static": {"/": "web"})");
  const HttpResult index = http.get(url("/"));
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<h1>shop</h1>");
  EXPECT_EQ(http.get(url("/css/site.css")).body, "h1 {}");
  EXPECT_TRUE(is_json_error(http.get(url("/missing.txt")), 404, "not_found"));
  EXPECT_TRUE(is_json_error(http.get(url("/../latchkey.json")), 404, "not_found"));
  EXPECT_EQ(http.get(url("/status")).body, R"({"status":"ok"})") << "the application's routes come first";
}

TEST_F(EmbeddedAuthApi, BodyOverTheConfigsLimitIsRefused) {
  start_app("{}", {}, R"("max_body_bytes": 64)");
  const std::string large = R"({"email":"a@example.com","password":")" + std::string(100, 'x') + R"("})";
  EXPECT_TRUE(is_json_error(http.post(url("/api/auth/login"), large, kJson), 413, "body_too_large"));
  EXPECT_TRUE(is_json_error(http.post(url("/admin/purge"), large, kJson), 413, "body_too_large"));
  EXPECT_TRUE(is_json_error(http.post(url("/api/auth/login"), R"({"email":"a@example.com","password":"x"})", kJson),
                            401, "invalid_credentials"))
      << "a body within the limit goes through";
}

}  // namespace
}  // namespace latchkey::test::embed
