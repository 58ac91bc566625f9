// The operator CLI (CONTRACT §5): migrate, user add/list/role, and its failures: one line on stderr,
// exit 2 for a usage error, 1 for anything else, --help on stdout.
#include "auth_test_support.h"

#include <algorithm>
#include <filesystem>

namespace latchkey::test::auth {
namespace {

class AuthCli : public AuthBackendTest {};

size_t line_count(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

// CONTRACT §5: a failure prints exactly "latchkey-auth: <line>" on stderr, nothing on stdout.
::testing::AssertionResult fails_with(const ExitResult& result, int exit_code, const std::string& line) {
  if (result.exit_code == exit_code && result.err == "latchkey-auth: " + line + "\n" && result.out.empty()) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "exit " << result.exit_code << " (want " << exit_code << "), stderr ["
                                       << result.err << "] (want [latchkey-auth: " << line << "]), stdout ["
                                       << result.out << "]";
}

TEST_P(AuthCli, MigrateIsIdempotent) {
  write_config(R"({"database": {"auto_migrate": false}})");
  const ExitResult first = cli({"migrate"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("applied"), std::string::npos) << first.out;
  const ExitResult second = cli({"migrate"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("schema is up to date"), std::string::npos) << second.out;
  // The host starts on the migrated schema without migrating itself.
  ASSERT_TRUE(host.start({}, true, 30s)) << host.last_error();
}

TEST_P(AuthCli, UserAddReadsOneLineFromStdinWithoutItsNewline) {
  start_host();
  const ExitResult added = cli({"user", "add", "cli@example.com", "--confirmed", "--role", "admin", "--role", "user"},
                               "spaces and \xc3\xbcnicode ok\n");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_EQ(line_count(added.out), 1u) << added.out;
  const HttpResult ok = login("cli@example.com", "spaces and \xc3\xbcnicode ok");
  ASSERT_EQ(ok.status, 200) << ok.body;
  const rapidjson::Document body = parse_json(ok.body);
  EXPECT_EQ(string_member(body["user"], "id") + "\n", added.out) << "user add prints the new id";
  const auto& roles = body["user"]["roles"];
  ASSERT_TRUE(roles.IsArray());
  std::vector<std::string> names;
  for (const auto& role : roles.GetArray()) names.emplace_back(role.GetString());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"admin", "user"}));
  EXPECT_TRUE(is_json_error(login("cli@example.com", "spaces and \xc3\xbcnicode ok\n"), 401, "invalid_credentials"))
      << "the newline is not part of the password";

  // Without --confirmed the account is unconfirmed.
  ASSERT_EQ(cli({"user", "add", "later@example.com"}, kPassword + "\n").exit_code, 0);
  EXPECT_TRUE(is_json_error(login("later@example.com"), 403, "email_not_confirmed"));
}

TEST_P(AuthCli, UserAddFailuresExitOneWithOneLine) {
  write_config();
  ASSERT_EQ(cli({"user", "add", "dup@example.com", "--confirmed"}, kPassword + "\n").exit_code, 0);
  for (const auto& [args, input] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"user", "add", "dup@example.com"}, kPassword + "\n"},
           {{"user", "add", "DUP@Example.com"}, kPassword + "\n"},  // emails are case-insensitive
           {{"user", "add", "short@example.com"}, "short\n"},
           {{"user", "add", "nostdin@example.com"}, ""},
           {{"user", "add", "not-an-email"}, kPassword + "\n"},
           {{"user", "disable", "ghost@example.com"}, ""},
           {{"sessions", "revoke", "ghost@example.com"}, ""},
       }) {
    const ExitResult result = cli(args, input);
    EXPECT_EQ(result.exit_code, 1) << args[0] << " " << args[1] << " " << args[2] << ": " << result.err;
    EXPECT_EQ(line_count(result.err), 1u) << "stderr: " << result.err;
  }
  EXPECT_EQ(line_count(cli({"user", "list"}).out), 2u) << "header + one user: no failed add left a user behind";
}

TEST_P(AuthCli, UserListAndRolesShowTheUsers) {
  write_config();
  ASSERT_EQ(cli({"user", "add", "one@example.com", "--confirmed"}, kPassword + "\n").exit_code, 0);
  ASSERT_EQ(cli({"user", "add", "two@example.com"}, kPassword + "\n").exit_code, 0);
  ExitResult list = cli({"user", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("one@example.com"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("two@example.com"), std::string::npos) << list.out;

  const ExitResult added = cli({"user", "role", "two@example.com", "add", "editor"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.out.find("editor"), std::string::npos) << added.out;
  list = cli({"user", "list"});
  const auto line_of = [](const std::string& text, const std::string& needle) {
    const auto at = text.find(needle);
    if (at == std::string::npos) return std::string();
    const auto start = text.rfind('\n', at);
    return text.substr(start == std::string::npos ? 0 : start + 1, text.find('\n', at) - (start == std::string::npos ? 0 : start + 1));
  };
  EXPECT_NE(line_of(list.out, "two@example.com").find("editor"), std::string::npos) << list.out;
  EXPECT_EQ(line_of(list.out, "one@example.com").find("editor"), std::string::npos) << list.out;

  const ExitResult removed = cli({"user", "role", "two@example.com", "remove", "editor"});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(line_of(cli({"user", "list"}).out, "two@example.com").find("editor"), std::string::npos);
}

TEST_P(AuthCli, UsageErrorsExitTwo) {
  write_config();
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {},
           {"frobnicate"},
           {"user"},
           {"user", "frobnicate", "a@b.c"},
           {"user", "role", "a@b.c", "add"},
           {"user", "add", "a@b.c", "--bogus"},
           {"user", "list", "extra"},
           {"sessions", "list"},
           {"sessions", "list", "a@b.c", "--json"},
           {"migrate", "extra"},
           {"keygen", "--algorithm"},
       }) {
    const ExitResult result = cli(args);
    std::string joined;
    for (const auto& arg : args) joined += arg + " ";
    EXPECT_EQ(result.exit_code, 2) << joined << ": " << result.err;
    EXPECT_TRUE(result.err.starts_with("latchkey-auth: ")) << joined << ": " << result.err;
    EXPECT_EQ(line_count(result.err), 1u) << joined << ": " << result.err;
    EXPECT_EQ(result.out, "") << joined;
  }
  // No --config at all.
  EXPECT_EQ(run_program(kAuthCli, {"user", "list"}, "", host.dir()).exit_code, 2);
}

TEST_P(AuthCli, UnknownUserExitsOneNamingIt) {
  write_config();
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"user", "disable", "ghost@example.com"},
           {"user", "role", "ghost@example.com", "add", "admin"},
           {"sessions", "revoke", "ghost@example.com"},
           {"sessions", "list", "ghost@example.com"},
       }) {
    EXPECT_TRUE(fails_with(cli(args), 1, "no user with email ghost@example.com")) << args[0] << " " << args[1];
  }
}

INSTANTIATE_ON_EACH_BACKEND(AuthCli);

// CONTRACT §5: each kind of mistake, as one line on stderr with exit 2, nothing on stdout. None
// of these reach the database, so one backend is enough.
class AuthCliErrors : public AuthFixture {
 protected:
  void SetUp() override {
    AuthFixture::SetUp();
    if (!IsSkipped() && !HasFatalFailure()) write_config();
  }
};

TEST_F(AuthCliErrors, UnknownCommandIsNamedWithAPointerToHelp) {
  EXPECT_TRUE(fails_with(cli({"bogus"}), 2, "unknown command 'bogus' (see --help)"));
}

TEST_F(AuthCliErrors, UnknownSubcommandIsNamed) {
  EXPECT_TRUE(fails_with(cli({"user", "frobnicate", "a@b.c"}), 2, "unknown command 'user frobnicate' (see --help)"));
}

TEST_F(AuthCliErrors, MissingSubcommandListsTheChoices) {
  EXPECT_TRUE(fails_with(cli({"user"}), 2, "user: missing subcommand (add, disable, enable, role or list)"));
}

TEST_F(AuthCliErrors, MissingCommand) {
  EXPECT_TRUE(fails_with(cli({}), 2, "missing command (see --help)"));
}

TEST_F(AuthCliErrors, MissingArgumentIsNamed) {
  EXPECT_TRUE(fails_with(cli({"user", "add"}, kPassword + "\n"), 2, "user add: missing EMAIL"));
  EXPECT_TRUE(fails_with(cli({"user", "role", "a@b.c", "add"}), 2, "user role: missing ROLE"));
}

TEST_F(AuthCliErrors, ExtraArgumentIsNamed) {
  EXPECT_TRUE(fails_with(cli({"user", "list", "extra"}), 2, "user list: unexpected argument 'extra'"));
  EXPECT_TRUE(fails_with(cli({"migrate", "now"}), 2, "migrate: unexpected argument 'now'"));
}

TEST_F(AuthCliErrors, UnknownOptionIsNamed) {
  EXPECT_TRUE(fails_with(cli({"user", "add", "a@b.c", "--bogus"}, kPassword + "\n"), 2,
                         "user add: unknown option '--bogus'"));
  EXPECT_TRUE(fails_with(cli({"--verbose", "user", "list"}), 2, "unknown option '--verbose' (see --help)"));
}

TEST_F(AuthCliErrors, BadArgumentValueIsNamed) {
  EXPECT_TRUE(fails_with(cli({"user", "role", "a@b.c", "frob", "admin"}), 2,
                         "user role: expected add or remove, not 'frob'"));
}

TEST_F(AuthCliErrors, BadOptionValueIsNamedAndWritesNothing) {
  EXPECT_TRUE(fails_with(cli({"keygen", "--algorithm", "RS999", "--out", "key.pem"}), 2,
                         "keygen: --algorithm expects EdDSA or ES256, not 'RS999'"));
  EXPECT_FALSE(std::filesystem::exists(host.dir() / "key.pem"));
}

TEST_F(AuthCliErrors, OptionWithoutItsValueIsNamed) {
  EXPECT_TRUE(fails_with(cli({"keygen", "--algorithm"}), 2, "keygen: --algorithm needs a value"));
  EXPECT_TRUE(fails_with(cli({"user", "add", "a@b.c", "--role"}, kPassword + "\n"), 2,
                         "user add: --role needs a value"));
}

TEST_F(AuthCliErrors, MissingRequiredOptionIsNamed) {
  EXPECT_TRUE(fails_with(cli({"keygen", "--algorithm", "EdDSA"}), 2, "keygen: missing --out FILE"));
  EXPECT_FALSE(std::filesystem::exists(host.dir() / "key.pem"));
}

TEST_F(AuthCliErrors, MissingConfigIsAUsageError) {
  EXPECT_TRUE(fails_with(run_program(kAuthCli, {"user", "list"}, "", host.dir()), 2,
                         "missing --config HOST_CONFIG (see --help)"));
}

TEST_F(AuthCliErrors, AMistakenCommandIsAUsageErrorEvenWithAnUnreadableConfig) {
  EXPECT_TRUE(fails_with(run_program(kAuthCli, {"--config", "/nonexistent/latchkey.json", "bogus"}, "", host.dir()), 2,
                         "unknown command 'bogus' (see --help)"));
}

TEST_F(AuthCliErrors, UnreadableConfigExitsOne) {
  const ExitResult result = run_program(kAuthCli, {"--config", "/nonexistent/latchkey.json", "user", "list"}, "", host.dir());
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_TRUE(result.err.starts_with("latchkey-auth: /nonexistent/latchkey.json")) << result.err;
  EXPECT_EQ(line_count(result.err), 1u) << result.err;
  EXPECT_EQ(result.out, "");
}

// libpq's connection errors span several lines; the CLI still prints one.
TEST_F(AuthCliErrors, UnreachableDatabaseExitsOneWithOneLine) {
  write_config(R"({"database": {"url": "postgresql://latchkey:secret@127.0.0.1:1/latchkey"}})");
  const ExitResult result = cli({"user", "list"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_TRUE(result.err.starts_with("latchkey-auth: cannot use the database: ")) << result.err;
  EXPECT_EQ(line_count(result.err), 1u) << result.err;
  EXPECT_EQ(result.out, "");
}

TEST_F(AuthCliErrors, HelpPrintsTheUsageOnStdoutAndExitsZero) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--help"}, {"user", "add", "--help"}, {"bogus", "--help"}}) {
    const ExitResult result = run_program(kAuthCli, args, "", host.dir());
    EXPECT_EQ(result.exit_code, 0) << args[0];
    EXPECT_EQ(result.err, "") << args[0];
    EXPECT_TRUE(result.out.starts_with("usage: latchkey-auth --config HOST_CONFIG <command>\n")) << result.out;
    for (const char* command : {"migrate", "user add", "user role", "user list", "sessions list", "sessions revoke", "keygen"}) {
      EXPECT_NE(result.out.find(command), std::string::npos) << command;
    }
  }
}

}  // namespace
}  // namespace latchkey::test::auth
