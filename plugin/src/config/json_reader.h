// Reads one JSON object of a config with type checks, recording problems as (JSON pointer, reason)
// and refusing unknown keys, so each config section reads as a list of its keys.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace latchkey::config {

struct ConfigError {
  std::string pointer;  // relative to the plugin's config object, e.g. "/tokens/secret"
  std::string reason;
};

class JsonReader {
 public:
  // object may be null (the section is absent: every key keeps its default).
  JsonReader(const rapidjson::Value* object, std::string pointer, std::vector<ConfigError>& errors);
  ~JsonReader();  // reports the keys nobody read as unknown
  JsonReader(const JsonReader&) = delete;
  JsonReader& operator=(const JsonReader&) = delete;

  void read(const char* key, std::string& out);
  void read(const char* key, std::optional<std::string>& out);  // null allowed
  void read(const char* key, bool& out);
  void read(const char* key, uint32_t& out, uint32_t min, uint32_t max);
  void read(const char* key, std::vector<std::string>& out);
  // A nested object (absent or null: a reader over nothing).
  JsonReader object(const char* key);
  // The array at key, each element for the caller (absent: empty).
  std::vector<const rapidjson::Value*> array(const char* key);

  std::vector<ConfigError>& errors() { return errors_; }
  std::string pointer_to(const char* key) const { return pointer_ + "/" + key; }
  void error(const char* key, std::string reason) { errors_.push_back({pointer_to(key), std::move(reason)}); }

 private:
  const rapidjson::Value* member(const char* key);

  const rapidjson::Value* object_;
  std::string pointer_;
  std::vector<ConfigError>& errors_;
  std::set<std::string> read_;
};

}  // namespace latchkey::config
