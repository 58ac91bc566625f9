// The embedding tests' fixture: the application process, the server on the same config, the CLI.
#include "embed_test_support.h"

#include "account_test_support.h"

#include <fstream>
#include <iterator>

namespace latchkey::test::embed {

void EmbeddedApp::SetUp() { ::setenv(kSecretVariable, kSecret.c_str(), 1); }

std::string EmbeddedApp::config(const std::string& auth_patch, const std::vector<std::string>& extra_plugins,
                                const std::string& host_extra) const {
  const std::string mail = account::file_mail_patch(mail_dir());
  return auth_host_config(merge_json(merge_json(base_auth_config(database_url()), mail), auth_patch), extra_plugins,
                          host_extra);
}

void EmbeddedApp::start_app(const std::string& auth_patch, const std::vector<std::string>& extra_plugins,
                            const std::string& host_extra, const std::vector<std::string>& app_args) {
  app.write_config(config(auth_patch, extra_plugins, host_extra));
  ASSERT_TRUE(app.start(app_args, true, std::chrono::seconds(30))) << app.last_error() << app.stderr_text();
}

void EmbeddedApp::start_server() {
  std::ifstream in(app.config_path());
  server.write_config(std::string(std::istreambuf_iterator<char>(in), {}));
  ASSERT_TRUE(server.start({}, true, std::chrono::seconds(30))) << server.last_error();
}

ExitResult EmbeddedApp::cli(const std::vector<std::string>& args, const std::string& stdin_text) {
  std::vector<std::string> full = {"--config", app.config_path().string()};
  full.insert(full.end(), args.begin(), args.end());
  return run_program(kAuthCli, full, stdin_text, app.dir());
}

void EmbeddedApp::add_user(const std::string& email, const std::string& role) {
  std::vector<std::string> args = {"user", "add", email, "--confirmed"};
  if (!role.empty()) args.insert(args.end(), {"--role", role});
  const ExitResult added = cli(args, kPassword + "\n");
  ASSERT_EQ(added.exit_code, 0) << added.err;
}

std::string EmbeddedApp::login_token(const std::string& email) {
  const HttpResult result = http.post(url("/api/auth/login"),
                                      R"({"email":")" + email + R"(","password":")" + kPassword + R"("})", kJson);
  EXPECT_EQ(result.status, 200) << result.body << result.error;
  return access_token_of(result);
}

std::multimap<std::string, std::string> answer_headers(const HttpResult& result) {
  std::multimap<std::string, std::string> headers = result.headers;
  headers.erase("date");
  headers.erase("connection");
  return headers;
}

}  // namespace latchkey::test::embed
