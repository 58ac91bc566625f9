// What the host's integration tests share: the binaries under test, config builders, a fixture.
#pragma once

#include "support/host_process.h"
#include "support/http_client.h"

#include <gtest/gtest.h>
#include <latchkey/plugin.h>
#include <rapidjson/document.h>

#include <string>

namespace latchkey::test {

inline const std::string kHostBinary = LATCHKEY_HOST_BINARY;
inline const std::string kTestPlugin = LATCHKEY_TEST_PLUGIN;
inline const std::string kWrongMajorPlugin = LATCHKEY_WRONG_MAJOR_PLUGIN;
inline const std::string kNewerMinorPlugin = LATCHKEY_NEWER_MINOR_PLUGIN;
inline const std::string kHelloPlugin = LATCHKEY_HELLO_PLUGIN;
inline const std::string kEventListenerPlugin = LATCHKEY_EVENT_LISTENER_PLUGIN;
inline const std::string kHelloAbi10Plugin = LATCHKEY_HELLO_ABI_1_0_PLUGIN;  // built against the 1.0 header
inline const std::string kAbi11Plugin = LATCHKEY_ABI_1_1_PLUGIN;             // built against the 1.1 header

// One entry of "plugins".
inline std::string plugin_entry(const std::string& name, const std::string& path,
                                const std::string& config_json = "{}") {
  return R"({"name": ")" + name + R"(", "path": ")" + path + R"(", "config": )" + config_json + "}";
}

// A host config: extra top-level members (e.g. R"("threads": 8)") and the plugin entries.
inline std::string host_config(const std::string& extra, const std::vector<std::string>& plugins) {
  std::string json = "{";
  if (!extra.empty()) json += extra + ", ";
  json += R"("plugins": [)";
  for (size_t i = 0; i < plugins.size(); ++i) json += (i ? ", " : "") + plugins[i];
  return json + "]}";
}

inline rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  return document;
}

// {"error": code, ...} with a "message" string: the shape of every host error.
inline ::testing::AssertionResult is_json_error(const HttpResult& result, long status, const std::string& code) {
  if (result.status != status)
    return ::testing::AssertionFailure() << "status " << result.status << " (want " << status << "), body: "
                                         << result.body << (result.error.empty() ? "" : ", error: " + result.error);
  const rapidjson::Document json = parse_json(result.body);
  if (json.HasParseError() || !json.IsObject() || !json.HasMember("error") || !json["error"].IsString() ||
      !json.HasMember("message") || !json["message"].IsString())
    return ::testing::AssertionFailure() << "not an {error, message} JSON body: " << result.body;
  if (json["error"].GetString() != code)
    return ::testing::AssertionFailure() << "error " << json["error"].GetString() << " (want " << code << ")";
  if (result.header("Content-Type").rfind("application/json", 0) != 0)
    return ::testing::AssertionFailure() << "Content-Type: " << result.header("Content-Type");
  return ::testing::AssertionSuccess();
}

inline std::string string_member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject() || !object.HasMember(name) || !object[name].IsString()) return "<absent>";
  return object[name].GetString();
}

// An integer member, or missing_value when the body is not such an object.
inline int64_t int_member(const rapidjson::Value& object, const char* name, int64_t missing_value = -999) {
  if (!object.IsObject() || !object.HasMember(name) || !object[name].IsInt64()) return missing_value;
  return object[name].GetInt64();
}

// How many requests sit in the test plugin's /test/sleep right now (-1 when it cannot tell).
inline int sleeping_now(HttpClient& http, const HostProcess& host) {
  const HttpResult result = http.get(host.url("/test/sleeping"));
  return result.status == 200 ? static_cast<int>(int_member(parse_json(result.body), "sleeping", -1)) : -1;
}

// A host with the test plugin loaded, fresh for each test.
class HostTest : public ::testing::Test {
 protected:
  void start_host(const std::string& extra = R"("threads": 4)",
                  const std::vector<std::string>& plugins = {plugin_entry("test", kTestPlugin)}) {
    host.write_config(host_config(extra, plugins));
    ASSERT_TRUE(host.start()) << host.last_error();
  }
  std::string url(const std::string& path) const { return host.url(path); }

  HostProcess host{kHostBinary};
  HttpClient http;
};

}  // namespace latchkey::test
