// The config reader: every key is type-checked where it is read; what was never read is unknown.
#include "config/json_reader.h"

namespace latchkey::config {

JsonReader::JsonReader(const rapidjson::Value* object, std::string pointer, std::vector<ConfigError>& errors)
    : object_(object), pointer_(std::move(pointer)), errors_(errors) {
  if (object_ && object_->IsNull()) object_ = nullptr;
  if (object_ && !object_->IsObject()) {
    errors_.push_back({pointer_, "must be an object"});
    object_ = nullptr;
  }
}

JsonReader::~JsonReader() {
  if (!object_) return;
  for (const auto& m : object_->GetObject()) {
    const std::string name(m.name.GetString(), m.name.GetStringLength());
    if (!read_.count(name)) errors_.push_back({pointer_ + "/" + name, "unknown key"});
  }
}

const rapidjson::Value* JsonReader::member(const char* key) {
  read_.insert(key);
  if (!object_) return nullptr;
  const auto it = object_->FindMember(key);
  return it == object_->MemberEnd() ? nullptr : &it->value;
}

void JsonReader::read(const char* key, std::string& out) {
  const rapidjson::Value* value = member(key);
  if (!value) return;
  if (value->IsString()) out.assign(value->GetString(), value->GetStringLength());
  else error(key, "must be a string");
}

void JsonReader::read(const char* key, std::optional<std::string>& out) {
  const rapidjson::Value* value = member(key);
  if (!value) return;
  if (value->IsNull()) out.reset();
  else if (value->IsString()) out = std::string(value->GetString(), value->GetStringLength());
  else error(key, "must be a string or null");
}

void JsonReader::read(const char* key, bool& out) {
  const rapidjson::Value* value = member(key);
  if (!value) return;
  if (value->IsBool()) out = value->GetBool();
  else error(key, "must be true or false");
}

void JsonReader::read(const char* key, uint32_t& out, uint32_t min, uint32_t max) {
  const rapidjson::Value* value = member(key);
  if (!value) return;
  if (value->IsUint() && value->GetUint() >= min && value->GetUint() <= max) out = value->GetUint();
  else error(key, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
}

void JsonReader::read(const char* key, std::vector<std::string>& out) {
  const rapidjson::Value* value = member(key);
  if (!value) return;
  if (!value->IsArray()) {
    error(key, "must be an array of strings");
    return;
  }
  out.clear();
  for (const auto& item : value->GetArray()) {
    if (!item.IsString()) {
      error(key, "must be an array of strings");
      return;
    }
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
}

JsonReader JsonReader::object(const char* key) { return JsonReader(member(key), pointer_to(key), errors_); }

std::vector<const rapidjson::Value*> JsonReader::array(const char* key) {
  std::vector<const rapidjson::Value*> items;
  const rapidjson::Value* value = member(key);
  if (!value) return items;
  if (!value->IsArray()) {
    error(key, "must be an array");
    return items;
  }
  for (const auto& item : value->GetArray()) items.push_back(&item);
  return items;
}

}  // namespace latchkey::config
