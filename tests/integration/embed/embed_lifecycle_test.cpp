// Embedded's life: load() refuses a bad config with a ConfigError worded as --check-config words
// it (file, JSON pointer, reason), in the application's own process; a stop waits for the request
// in flight, which still gets its answer, before the plugins are destroyed.
#include "embed_test_support.h"

#include <latchkey/embed.hpp>

#include <csignal>
#include <thread>

namespace latchkey::test::embed {
namespace {

class EmbeddedLoad : public EmbeddedApp {};

std::string load_error(const std::filesystem::path& config) {
  try {
    latchkey::Embedded::load(config.string());
  } catch (const latchkey::ConfigError& error) {
    return error.what();
  }
  return "<no ConfigError>";
}

TEST_F(EmbeddedLoad, ShortSecretIsAConfigErrorNamingFilePointerAndReason) {
  ::setenv(kSecretVariable, "too short", 1);
  app.write_config(config());
  const std::string message = load_error(app.config_path());
  EXPECT_NE(message.find(app.config_path().string() + ": /plugins/0/config/tokens/secret: "), std::string::npos)
      << message;
  EXPECT_NE(message.find("32"), std::string::npos) << "the reason says how long it must be: " << message;
}

TEST_F(EmbeddedLoad, UnknownKeyAndMissingVariableAreConfigErrors) {
  app.write_config(R"({"colour": "red", "plugins": [{"name": "auth", "path": "${LATCHKEY_EMBED_TEST_UNSET}"}]})");
  const std::string message = load_error(app.config_path());
  EXPECT_NE(message.find(app.config_path().string() + ": /colour: unknown key"), std::string::npos) << message;
  EXPECT_NE(message.find(app.config_path().string() + ": /plugins/0/path: environment variable "
                                                      "LATCHKEY_EMBED_TEST_UNSET is not set"),
            std::string::npos)
      << message;
}

TEST_F(EmbeddedLoad, ListenAndThreadsAreOptional) {
  app.write_config(R"({"plugins": [{"name": "test", "path": ")" + kTestPlugin + R"("}]})");
  EXPECT_NO_THROW({
    latchkey::Embedded lk = latchkey::Embedded::load(app.config_path().string());
    lk.shutdown();
  });
}

class EmbeddedShutdown : public EmbeddedApp {};

TEST_F(EmbeddedShutdown, WaitsForTheRequestInFlightThenDestroysThePlugins) {
  start_app("{}", {R"({"name": "test", "path": ")" + kTestPlugin + R"(", "config": {}})"});
  HttpResult sleeper;
  std::thread in_flight([&] {
    HttpClient client;
    sleeper = client.get(url("/test/sleep?ms=1000"));
  });
  ASSERT_TRUE(wait_until(
      [&] {
        const HttpResult sleeping = http.get(url("/test/sleeping"));
        return sleeping.body == R"({"sleeping":1})";
      },
      5s));
  const auto signalled = std::chrono::steady_clock::now();
  app.send_signal(SIGTERM);
  in_flight.join();
  EXPECT_EQ(sleeper.status, 200) << sleeper.error;
  EXPECT_EQ(sleeper.body, R"({"slept_ms":1000})");
  EXPECT_EQ(app.wait_exit(), 0);
  EXPECT_GE(std::chrono::steady_clock::now() - signalled, 500ms) << "the stop did not wait for the sleeper";
  const std::string log = app.stderr_text();
  const size_t answered = log.find("GET /test/sleep 200");
  const size_t destroyed = log.find("test plugin destroyed");
  ASSERT_NE(answered, std::string::npos) << log;
  ASSERT_NE(destroyed, std::string::npos) << log;
  EXPECT_LT(answered, destroyed) << "the plugin was destroyed before the request in flight ended";
}

}  // namespace
}  // namespace latchkey::test::embed
