// The shared pieces of the auth integration tests; see auth_test_support.h.
#include "auth_test_support.h"

#include "jwt/base64url.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

extern char** environ;

namespace latchkey::test::auth {
namespace fs = std::filesystem;

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void merge_into(rapidjson::Value& base, rapidjson::Value& patch, rapidjson::Document::AllocatorType& alloc) {
  if (!base.IsObject() || !patch.IsObject()) {
    base.CopyFrom(patch, alloc);
    return;
  }
  for (auto& member : patch.GetObject()) {
    auto existing = base.FindMember(member.name);
    if (existing != base.MemberEnd()) {
      merge_into(existing->value, member.value, alloc);
    } else {
      rapidjson::Value name(member.name, alloc);
      rapidjson::Value value(member.value, alloc);
      base.AddMember(name, value, alloc);
    }
  }
}

std::string to_text(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

const char* env(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? value : nullptr;
}

// scheme://user:pass@host:port/NAME with the database name replaced.
std::string with_database(const std::string& url, const std::string& name) {
  const auto query = url.find('?');
  const std::string base = url.substr(0, query);
  const std::string rest = query == std::string::npos ? "" : url.substr(query);
  return base.substr(0, base.rfind('/') + 1) + name + rest;
}

rapidjson::Document decode_segment(const std::string& token, size_t index) {
  size_t start = 0;
  for (size_t i = 0; i < index; ++i) {
    start = token.find('.', start);
    if (start == std::string::npos) return parse_json("{}");
    ++start;
  }
  const size_t end = token.find('.', start);
  const auto bytes = jwt::base64url_decode(token.substr(start, end == std::string::npos ? std::string::npos : end - start));
  if (!bytes) return parse_json("{}");
  return parse_json(std::string(bytes->begin(), bytes->end()));
}

}  // namespace

rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  return document;
}

std::string string_member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject() || !object.HasMember(name) || !object[name].IsString()) return "<absent>";
  return object[name].GetString();
}

int64_t int_member(const rapidjson::Value& object, const char* name, int64_t missing) {
  if (!object.IsObject() || !object.HasMember(name) || !object[name].IsInt64()) return missing;
  return object[name].GetInt64();
}

std::string merge_json(const std::string& base, const std::string& patch) {
  rapidjson::Document document = parse_json(base);
  rapidjson::Document overlay = parse_json(patch);
  if (document.HasParseError() || overlay.HasParseError()) throw std::runtime_error("bad JSON in a test config: " + patch);
  merge_into(document, overlay, document.GetAllocator());
  return to_text(document);
}

::testing::AssertionResult is_json_error(const HttpResult& result, long status, const std::string& code) {
  if (result.status != status)
    return ::testing::AssertionFailure() << "status " << result.status << " (want " << status << " " << code
                                         << "), body: " << result.body
                                         << (result.error.empty() ? "" : ", error: " + result.error);
  const rapidjson::Document json = parse_json(result.body);
  if (json.HasParseError() || !json.IsObject() || string_member(json, "message") == "<absent>")
    return ::testing::AssertionFailure() << "not an {error, message} JSON body: " << result.body;
  if (string_member(json, "error") != code)
    return ::testing::AssertionFailure() << "error " << string_member(json, "error") << " (want " << code
                                         << "), body: " << result.body;
  if (result.header("Content-Type").rfind("application/json", 0) != 0)
    return ::testing::AssertionFailure() << "Content-Type: " << result.header("Content-Type");
  return ::testing::AssertionSuccess();
}

std::string SetCookie::attribute(const std::string& attribute_name) const {
  const auto it = attributes.find(lower(attribute_name));
  return it == attributes.end() ? "<absent>" : it->second;
}

std::vector<SetCookie> set_cookies(const HttpResult& result) {
  std::vector<SetCookie> cookies;
  for (const std::string& header : result.headers_named("Set-Cookie")) {
    SetCookie cookie;
    std::istringstream parts(header);
    std::string part;
    bool first = true;
    while (std::getline(parts, part, ';')) {
      part = trim(part);
      const auto eq = part.find('=');
      if (first) {
        cookie.name = part.substr(0, eq);
        cookie.value = eq == std::string::npos ? "" : part.substr(eq + 1);
        first = false;
      } else {
        cookie.attributes[lower(part.substr(0, eq))] = eq == std::string::npos ? "" : part.substr(eq + 1);
      }
    }
    cookies.push_back(std::move(cookie));
  }
  return cookies;
}

std::optional<SetCookie> set_cookie(const HttpResult& result, const std::string& name) {
  for (SetCookie& cookie : set_cookies(result))
    if (cookie.name == name) return cookie;
  return std::nullopt;
}

bool clears_cookie(const HttpResult& result, const std::string& name) {
  const auto cookie = set_cookie(result, name);
  return cookie && cookie->value.empty() && cookie->attribute("Max-Age") == "0";
}

rapidjson::Document jwt_header(const std::string& token) { return decode_segment(token, 0); }
rapidjson::Document jwt_claims(const std::string& token) { return decode_segment(token, 1); }

std::string access_token_of(const HttpResult& token_response) {
  return string_member(parse_json(token_response.body), "accessToken");
}

Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
Headers cookie(const std::string& name, const std::string& value) { return {{"Cookie", name + "=" + value}}; }
Headers json_with(Headers extra) {
  extra.emplace_back("Content-Type", "application/json");
  return extra;
}

ExitResult run_program(const std::string& binary, const std::vector<std::string>& args, const std::string& stdin_text,
                       const fs::path& dir, std::chrono::milliseconds timeout) {
  static std::atomic<int> counter{0};
  const std::string tag = std::to_string(::getpid()) + "-" + std::to_string(counter++);
  const fs::path in_path = dir / ("run-" + tag + ".stdin");
  const fs::path out_path = dir / ("run-" + tag + ".stdout");
  const fs::path err_path = dir / ("run-" + tag + ".stderr");
  fs::create_directories(dir);
  std::ofstream(in_path, std::ios::binary) << stdin_text;

  std::vector<std::string> argv_text = {binary};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ExitResult result;
  if (error != 0) {
    result.exit_code = -1000;
    result.err = "posix_spawn failed: " + std::to_string(error);
    return result;
  }
  int status = 0;
  const bool ended = wait_until([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, timeout);
  if (!ended) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? -WTERMSIG(status) : -1000;
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  // A sanitizer report in the program (script/test --sanitize) fails the test, report shown.
  if (has_sanitizer_report(result.err)) ADD_FAILURE() << "sanitizer report in " << binary << ":\n" << result.err;
  std::error_code ignored;
  for (const fs::path& path : {in_path, out_path, err_path}) fs::remove(path, ignored);
  return result;
}

std::unique_ptr<TestDatabase> TestDatabase::create(Backend backend, const fs::path& sqlite_dir, std::string& why) {
  auto database = std::make_unique<TestDatabase>();
  database->backend_ = backend;
  if (backend == Backend::sqlite) {
    database->url_ = "sqlite3://" + (sqlite_dir / "auth.db").string();
    return database;
  }
  database->scratch_ = store::testing::ScratchDatabase::create(backend, why);
  if (!database->scratch_) return nullptr;
  const char* server = env(backend == Backend::postgresql ? "LATCHKEY_TEST_PG_URL" : "LATCHKEY_TEST_MYSQL_URL");
  database->url_ = with_database(server, database->scratch_->name());
  return database;
}

std::string base_auth_config(const std::string& database_url) {
  return R"({
    "database": {"url": ")" + database_url + R"(", "pool_size": 4},
    "tokens": {"secret": "${)" + std::string(kSecretVariable) + R"(}", "revocation_cache_ms": 300},
    "cookies": {"secure": false},
    "password": {"argon2_memory_kib": 64, "argon2_iterations": 1},
    "email": {"transport": "log"}
  })";
}

std::string auth_host_config(const std::string& auth_config, const std::vector<std::string>& extra_plugins,
                             const std::string& host_extra) {
  std::string json = "{";
  if (!host_extra.empty()) json += host_extra + ", ";
  json += R"("plugins": [{"name": "auth", "path": ")" + kAuthPlugin + R"(", "config": )" + auth_config + "}";
  for (const std::string& plugin : extra_plugins) json += ", " + plugin;
  return json + "]}";
}

void AuthFixture::SetUp() {
  ::setenv(kSecretVariable, kSecret.c_str(), 1);
  std::string why;
  database_ = TestDatabase::create(backend(), host.dir(), why);
  if (!database_) {
    const char* only = env("LATCHKEY_TEST_SQLITE_ONLY");
    if (only && std::string(only) == "1") GTEST_SKIP() << "LATCHKEY_TEST_SQLITE_ONLY=1: " << why;
    FAIL() << why;
  }
}

void AuthFixture::write_config(const std::string& auth_patch, const std::vector<std::string>& extra_plugins,
                               const std::string& host_extra) {
  host.write_config(auth_host_config(merge_json(base_auth_config(database_url()), auth_patch), extra_plugins, host_extra));
}

void AuthFixture::start_host(const std::string& auth_patch, const std::vector<std::string>& extra_plugins,
                             const std::string& host_extra) {
  write_config(auth_patch, extra_plugins, host_extra);
  ASSERT_TRUE(host.start({}, true, std::chrono::seconds(30))) << host.last_error();
}

ExitResult AuthFixture::cli(const std::vector<std::string>& args, const std::string& stdin_text) {
  std::vector<std::string> full = {"--config", host.config_path().string()};
  full.insert(full.end(), args.begin(), args.end());
  return run_program(kAuthCli, full, stdin_text, host.dir());
}

void AuthFixture::add_user(const std::string& email, const std::string& password, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"user", "add", email};
  args.insert(args.end(), extra.begin(), extra.end());
  const ExitResult result = cli(args, password + "\n");
  ASSERT_EQ(result.exit_code, 0) << "user add " << email << ": " << result.err;
}

HttpResult AuthFixture::login(const std::string& email, const std::string& password, Headers extra) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("email");
  writer.String(email.c_str(), static_cast<rapidjson::SizeType>(email.size()));
  writer.Key("password");
  writer.String(password.c_str(), static_cast<rapidjson::SizeType>(password.size()));
  writer.EndObject();
  return http.post(auth_url("/login"), buffer.GetString(), json_with(std::move(extra)));
}

HttpResult AuthFixture::login_ok(const std::string& email, const std::string& password) {
  HttpResult result = login(email, password);
  EXPECT_EQ(result.status, 200) << "login " << email << ": " << result.body << " " << result.error;
  return result;
}

HttpResult AuthFixture::refresh_with_cookie(const std::string& refresh_token, Headers extra) {
  extra.emplace_back("Cookie", "refreshToken=" + refresh_token);
  return http.post(auth_url("/refresh"), "", extra);
}

void ShortRevocationTtlTest::SetUp() {
  AuthBackendTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  start_host(R"({"tokens": {"revocation_cache_ms": 500}})");
}

std::optional<std::chrono::milliseconds> ShortRevocationTtlTest::time_until_refused(const std::string& access,
                                                                                   std::chrono::milliseconds limit) {
  const auto start = std::chrono::steady_clock::now();
  if (!wait_until([&] { return http.get(auth_url("/me"), bearer(access)).status == 401; }, limit)) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace latchkey::test::auth
