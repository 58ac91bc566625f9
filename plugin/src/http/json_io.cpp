// JSON bodies with RapidJSON's Writer (which escapes), and request parsing through the strict
// parser the JWT module uses for headers and claims.
#include "http/json_io.h"

#include "jwt/json_strict.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <ctime>

namespace latchkey::http {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_user(Writer& writer, const store::User& user, const std::optional<session::UserMfa>& mfa) {
  writer.StartObject();
  writer.Key("id");
  write_string(writer, user.id);
  writer.Key("email");
  write_string(writer, user.email);
  writer.Key("emailConfirmed");
  writer.Bool(user.confirmed_at.has_value());
  writer.Key("roles");
  writer.StartArray();
  for (const std::string& role : user.roles) write_string(writer, role);
  writer.EndArray();
  writer.Key("active");
  writer.Bool(user.active);
  writer.Key("createdAt");
  write_string(writer, iso8601(user.created_at));
  if (mfa) {
    writer.Key("mfa");
    writer.StartObject();
    writer.Key("totp");
    writer.Bool(mfa->totp);
    writer.Key("passkeys");
    writer.Int64(mfa->passkeys);
    writer.EndObject();
  }
  writer.EndObject();
}

}  // namespace

std::string iso8601(int64_t epoch_seconds) {
  const std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string error_body(std::string_view code, std::string_view message, const FieldErrors& fields) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("error");
  write_string(writer, code);
  writer.Key("message");
  write_string(writer, message);
  if (!fields.empty()) {
    writer.Key("fields");
    writer.StartObject();
    for (const auto& [name, reason] : fields) {
      write_string(writer, name);
      write_string(writer, reason);
    }
    writer.EndObject();
  }
  writer.EndObject();
  return buffer.GetString();
}

std::string user_body(const store::User& user, const std::optional<session::UserMfa>& mfa) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("user");
  write_user(writer, user, mfa);
  writer.EndObject();
  return buffer.GetString();
}

std::string token_body(const session::IssuedTokens& tokens, bool refresh_in_body, int64_t now_ms) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("user");
  write_user(writer, tokens.user, tokens.mfa);
  writer.Key("accessToken");
  write_string(writer, tokens.access.token);
  writer.Key("expiresIn");
  writer.Int64(std::max<int64_t>(0, tokens.access.exp * 1000 - now_ms));
  if (tokens.refresh_token) {
    if (refresh_in_body) {
      writer.Key("refreshToken");
      write_string(writer, *tokens.refresh_token);
    }
    writer.Key("refreshTokenExpiresIn");
    writer.Int64(std::max<int64_t>(0, tokens.refresh_expires_at * 1000 - now_ms));
  }
  writer.EndObject();
  return buffer.GetString();
}

std::optional<rapidjson::Document> parse_body(std::string_view body, size_t max_depth) {
  return jwt::parse_json_object(body, max_depth);
}

std::optional<std::string> string_field(const rapidjson::Document& body, const char* name, size_t max_bytes,
                                        FieldErrors& errors) {
  const auto it = body.FindMember(name);
  if (it == body.MemberEnd()) {
    errors.emplace_back(name, "required");
    return std::nullopt;
  }
  if (!it->value.IsString()) {
    errors.emplace_back(name, "must be a string");
    return std::nullopt;
  }
  if (it->value.GetStringLength() > max_bytes) {
    errors.emplace_back(name, "too long");
    return std::nullopt;
  }
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace latchkey::http
