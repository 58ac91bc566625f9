// jwt::parse_json_object does the strict part (duplicates, UTF-8, depth, no recursion).
#include "webauthn/client_data.h"

#include "jwt/json_strict.h"
#include "webauthn/ceremony.h"

namespace latchkey::webauthn {
namespace {

constexpr std::size_t kMaxClientDataDepth = 4;  // tokenBinding is one object inside; nothing deeper is defined

std::optional<std::string> string_member(const rapidjson::Value& object, const char* name) {
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd() || !member->value.IsString()) return std::nullopt;
  return std::string(member->value.GetString(), member->value.GetStringLength());
}

}  // namespace

std::optional<ClientData> parse_client_data(std::string_view json) {
  if (json.size() > kMaxClientDataBytes) return std::nullopt;
  const std::optional<rapidjson::Document> document = jwt::parse_json_object(json, kMaxClientDataDepth);
  if (!document) return std::nullopt;
  ClientData data;
  std::optional<std::string> type = string_member(*document, "type");
  std::optional<std::string> challenge = string_member(*document, "challenge");
  std::optional<std::string> origin = string_member(*document, "origin");
  if (!type || !challenge || !origin) return std::nullopt;
  data.type = std::move(*type);
  data.challenge = std::move(*challenge);
  data.origin = std::move(*origin);
  const auto cross_origin = document->FindMember("crossOrigin");
  if (cross_origin != document->MemberEnd()) {
    if (!cross_origin->value.IsBool()) return std::nullopt;
    data.cross_origin = cross_origin->value.GetBool();
  }
  return data;
}

std::optional<std::string> challenge_of(std::string_view client_data_json) {
  if (client_data_json.size() > kMaxClientDataBytes) return std::nullopt;
  const std::optional<rapidjson::Document> document = jwt::parse_json_object(client_data_json, kMaxClientDataDepth);
  if (!document) return std::nullopt;
  return string_member(*document, "challenge");
}

}  // namespace latchkey::webauthn
