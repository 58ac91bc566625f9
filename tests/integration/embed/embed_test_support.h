// What the embedding tests share: the in-tree build of examples/existing-app (the application
// embedding Latchkey through liblatchkey_embed), run as a process with a config of the test's,
// next to the `latchkey` server for comparisons; users through the real CLI, mail as files.
#pragma once

#include "auth_test_support.h"

#include <filesystem>
#include <string>
#include <vector>

namespace latchkey::test::embed {

using namespace latchkey::test::auth;

inline const std::string kAppBinary = LATCHKEY_EXISTING_APP;

class EmbeddedApp : public ::testing::Test {
 protected:
  void SetUp() override;

  std::string database_url() const { return "sqlite3://" + (app.dir() / "auth.db").string(); }
  std::filesystem::path mail_dir() const { return app.dir() / "mail"; }
  // The host config both front doors read: the auth plugin (SQLite in app.dir(), mail as files in
  // mail_dir(), auth_patch on top), extra plugin entries, extra top-level members.
  std::string config(const std::string& auth_patch = "{}", const std::vector<std::string>& extra_plugins = {},
                     const std::string& host_extra = "") const;
  // Writes config(...) and starts the application (extra arguments after --config and --listen).
  void start_app(const std::string& auth_patch = "{}", const std::vector<std::string>& extra_plugins = {},
                 const std::string& host_extra = "", const std::vector<std::string>& app_args = {});
  // Starts the `latchkey` server on the application's config (same database).
  void start_server();

  // latchkey-auth --config <the application's config> args...
  ExitResult cli(const std::vector<std::string>& args, const std::string& stdin_text = "");
  // `user add EMAIL --confirmed [--role R]`; fails the test on error.
  void add_user(const std::string& email, const std::string& role = "");
  // Logs in through the application and returns the access token (asserts 200).
  std::string login_token(const std::string& email);

  std::string url(const std::string& path) const { return app.url(path); }

  HostProcess app{kAppBinary};
  HostProcess server{kHostBinary};
  HttpClient http;
};

// Every header but those the serving front door owns (Date, Connection): what must be the same
// between two answers to be "the same answer".
std::multimap<std::string, std::string> answer_headers(const HttpResult& result);

}  // namespace latchkey::test::embed
