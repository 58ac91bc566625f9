// Helpers of the plain response value, including the JSON error body every failure uses.
#include "http_types.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <strings.h>

namespace latchkey::host {

void HttpResponse::set_header(std::string name, std::string value) {
  for (auto& [existing, old_value] : headers) {
    if (strcasecmp(existing.c_str(), name.c_str()) == 0) {
      old_value = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

const std::string* HttpResponse::header(const std::string& name) const {
  for (const auto& [existing, value] : headers) {
    if (strcasecmp(existing.c_str(), name.c_str()) == 0) return &value;
  }
  return nullptr;
}

HttpResponse json_error(uint32_t status, const std::string& code, const std::string& message) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("error");
  writer.String(code.c_str(), static_cast<rapidjson::SizeType>(code.size()));
  writer.Key("message");
  writer.String(message.c_str(), static_cast<rapidjson::SizeType>(message.size()));
  writer.EndObject();
  HttpResponse response;
  response.status = status;
  response.set_header("Content-Type", "application/json");
  response.body = buffer.GetString();
  return response;
}

}  // namespace latchkey::host
