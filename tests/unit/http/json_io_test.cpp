// json_io: error, user and token bodies (CONTRACT §3 field names, times in ms), and the strict
// request-body parser with its field helper.
#include "http/json_io.h"

#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <string>

namespace latchkey::http {
namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  EXPECT_FALSE(d.HasParseError()) << text;
  EXPECT_TRUE(d.IsObject()) << text;
  return d;
}

store::User alice() {
  store::User u;
  u.id = "0123456789abcdef0123456789abcdef";
  u.email = "alice@example.com";
  u.password_hash = "$argon2id$never-shown";
  u.confirmed_at = 1795340000;
  u.active = true;
  u.roles = {"admin", "user"};
  u.created_at = 1795341600;  // 2026-11-22T10:00:00Z
  return u;
}

session::IssuedTokens tokens(bool with_refresh) {
  session::IssuedTokens t;
  t.user = alice();
  t.session_id = "sid";
  t.access = jwt::IssuedAccessToken{"header.payload.signature", "jti", 1795341600, 1795342500};
  if (with_refresh) {
    t.refresh_token = "opaque-refresh";
    t.refresh_expires_at = 1795341600 + 604800;
  }
  return t;
}

constexpr int64_t kNowMs = 1795341600LL * 1000 + 10;  // 10 ms after iat

// --- error_body ---

TEST(JsonIoErrorBody, CodeAndMessageOnly) {
  EXPECT_EQ(error_body("invalid_token", "The token is not valid"),
            R"({"error":"invalid_token","message":"The token is not valid"})");
}

TEST(JsonIoErrorBody, FieldsInTheirOrder) {
  EXPECT_EQ(error_body("invalid_request", "Check the fields", {{"email", "required"}, {"password", "too long"}}),
            R"({"error":"invalid_request","message":"Check the fields","fields":{"email":"required","password":"too long"}})");
}

TEST(JsonIoErrorBody, QuotesBackslashesAndControlCharactersAreEscaped) {
  const std::string nasty = std::string("say \"hi\"\\ now\n\t\x01 end");
  const std::string body = error_body("c\"ode", nasty, {{"fi\"eld", nasty}});
  const auto d = parse(body);
  EXPECT_EQ(std::string(d["error"].GetString()), "c\"ode");
  EXPECT_EQ(std::string(d["message"].GetString()), nasty);
  EXPECT_EQ(std::string(d["fields"]["fi\"eld"].GetString()), nasty);
  EXPECT_NE(body.find(R"(\"hi\")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"(\n)"), std::string::npos) << body;
  EXPECT_NE(body.find(R"(\u0001)"), std::string::npos) << body;
  for (char c : body) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << "raw control character in " << body;
}

// --- user_body ---

TEST(JsonIoUserBody, FieldNamesAndValuesOfTheContract) {
  EXPECT_EQ(user_body(alice()),
            R"({"user":{"id":"0123456789abcdef0123456789abcdef","email":"alice@example.com","emailConfirmed":true,)"
            R"("roles":["admin","user"],"active":true,"createdAt":"2026-11-22T10:00:00Z"}})");
}

TEST(JsonIoUserBody, UnconfirmedDisabledUserWithoutRoles) {
  store::User u = alice();
  u.confirmed_at.reset();
  u.active = false;
  u.roles.clear();
  const auto d = parse(user_body(u));
  EXPECT_FALSE(d["user"]["emailConfirmed"].GetBool());
  EXPECT_FALSE(d["user"]["active"].GetBool());
  EXPECT_TRUE(d["user"]["roles"].IsArray());
  EXPECT_EQ(d["user"]["roles"].Size(), 0u);
}

TEST(JsonIoUserBody, CreatedAtIsIso8601Utc) {
  store::User u = alice();
  for (const auto& [epoch, text] : std::initializer_list<std::pair<int64_t, const char*>>{
           {0, "1970-01-01T00:00:00Z"}, {1700000000, "2023-11-14T22:13:20Z"}, {4102444800, "2100-01-01T00:00:00Z"}}) {
    u.created_at = epoch;
    EXPECT_EQ(std::string(parse(user_body(u))["user"]["createdAt"].GetString()), text);
  }
}

TEST(JsonIoUserBody, NeverShowsThePasswordHash) { EXPECT_EQ(user_body(alice()).find("argon2"), std::string::npos); }

// --- token_body ---

TEST(JsonIoTokenBody, TimesAreMillisecondsFromNow) {
  const auto d = parse(token_body(tokens(true), false, kNowMs));
  EXPECT_EQ(std::string(d["accessToken"].GetString()), "header.payload.signature");
  EXPECT_EQ(d["expiresIn"].GetInt64(), 899990);
  EXPECT_EQ(d["refreshTokenExpiresIn"].GetInt64(), 604799990);
  EXPECT_EQ(std::string(d["user"]["id"].GetString()), alice().id);
}

TEST(JsonIoTokenBody, RefreshTokenOnlyWhenAsked) {
  const auto without = parse(token_body(tokens(true), false, kNowMs));
  EXPECT_FALSE(without.HasMember("refreshToken"));
  const std::string body = token_body(tokens(true), true, kNowMs);
  const auto with = parse(body);
  ASSERT_TRUE(with.HasMember("refreshToken"));
  EXPECT_EQ(std::string(with["refreshToken"].GetString()), "opaque-refresh");
  EXPECT_EQ(token_body(tokens(true), false, kNowMs).find("opaque-refresh"), std::string::npos);
}

TEST(JsonIoTokenBody, GraceAnswerHasNoRefreshFields) {
  for (bool refresh_in_body : {false, true}) {
    const auto d = parse(token_body(tokens(false), refresh_in_body, kNowMs));
    EXPECT_FALSE(d.HasMember("refreshToken"));
    EXPECT_FALSE(d.HasMember("refreshTokenExpiresIn"));
    EXPECT_EQ(d["expiresIn"].GetInt64(), 899990);
  }
}

TEST(JsonIoTokenBody, ExactFieldNamesAndOrder) {
  EXPECT_EQ(token_body(tokens(true), true, kNowMs),
            R"({"user":{"id":"0123456789abcdef0123456789abcdef","email":"alice@example.com","emailConfirmed":true,)"
            R"("roles":["admin","user"],"active":true,"createdAt":"2026-11-22T10:00:00Z",)"
            R"("mfa":{"totp":false,"passkeys":0}},)"
            R"("accessToken":"header.payload.signature","expiresIn":899990,)"
            R"("refreshToken":"opaque-refresh","refreshTokenExpiresIn":604799990})");
}

TEST(JsonIoTokenBody, UserSaysWhichSecondFactorsAreOn) {
  auto with_totp = tokens(true);
  with_totp.mfa.totp = true;
  const auto d = parse(token_body(with_totp, false, kNowMs));
  EXPECT_TRUE(d["user"]["mfa"]["totp"].GetBool());
  EXPECT_EQ(d["user"]["mfa"]["passkeys"].GetInt(), 0);
  EXPECT_FALSE(parse(user_body(with_totp.user))["user"].HasMember("mfa")) << "user_body: only when given";
  EXPECT_TRUE(parse(user_body(with_totp.user, session::UserMfa{true, 0}))["user"]["mfa"]["totp"].GetBool());
}

TEST(JsonIoTokenBody, PastExpiryIsZeroNotNegative) {
  const auto d = parse(token_body(tokens(true), false, (1795342500LL + 5) * 1000));
  EXPECT_EQ(d["expiresIn"].GetInt64(), 0);
}

// --- parse_body ---

TEST(JsonIoParseBody, AcceptsOneObject) {
  const auto d = parse_body(R"( {"email": "a@b.c", "password": "x", "n": [1, {"k": null}]} )");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(std::string((*d)["email"].GetString()), "a@b.c");
}

TEST(JsonIoParseBody, RefusesAnythingButAnObject) {
  for (const char* body : {"[]", R"(["a"])", R"("text")", "1", "null", "true", "", "   "}) {
    EXPECT_FALSE(parse_body(body).has_value()) << body;
  }
}

TEST(JsonIoParseBody, RefusesDuplicateNames) {
  EXPECT_FALSE(parse_body(R"({"email": "a@b.c", "email": "evil@b.c"})").has_value());
  EXPECT_FALSE(parse_body(R"({"email": "a@b.c", "\u0065mail": "evil@b.c"})").has_value()) << "equal after unescaping";
  EXPECT_FALSE(parse_body(R"({"o": {"k": 1, "k": 2}})").has_value()) << "nested";
}

TEST(JsonIoParseBody, RefusesDeepNesting) {
  EXPECT_TRUE(parse_body(R"({"a": {"b": {"c": {}}}})").has_value());
  EXPECT_FALSE(parse_body(R"({"a": {"b": {"c": {"d": {}}}}})").has_value());
  EXPECT_FALSE(parse_body(R"({"a": [[[[]]]]})").has_value());
  EXPECT_FALSE(parse_body(std::string(100000, '[')).has_value());
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += R"({"a":)";
  EXPECT_FALSE(parse_body(deep).has_value());
}

TEST(JsonIoParseBody, RefusesTrailingGarbage) {
  for (std::string body : {R"({"a": 1} x)", R"({"a": 1}{})", R"({"a": 1},)", R"({"a": 1}])"}) {
    EXPECT_FALSE(parse_body(body).has_value()) << body;
  }
  EXPECT_FALSE(parse_body(std::string("{\"a\": 1}\0junk", 13)).has_value()) << "NUL then junk";
  EXPECT_TRUE(parse_body("{\"a\": 1}\r\n").has_value()) << "trailing whitespace is fine";
}

TEST(JsonIoParseBody, RefusesInvalidJsonAndInvalidUtf8) {
  for (std::string body : {R"({"a": })", R"({a: 1})", R"({"a": 'x'})", R"({"a": 1,})", "{\"a\": \"\xff\"}"}) {
    EXPECT_FALSE(parse_body(body).has_value()) << body;
  }
}

// --- string_field ---

TEST(JsonIoStringField, ReturnsTheString) {
  const auto d = *parse_body(R"({"email": "a@b.c", "empty": ""})");
  FieldErrors errors;
  EXPECT_EQ(string_field(d, "email", 5, errors), "a@b.c");
  EXPECT_EQ(string_field(d, "empty", 5, errors), "");
  EXPECT_TRUE(errors.empty());
}

TEST(JsonIoStringField, MissingIsRequired) {
  const auto d = *parse_body(R"({"other": "x"})");
  FieldErrors errors;
  EXPECT_FALSE(string_field(d, "email", 100, errors).has_value());
  EXPECT_EQ(errors, (FieldErrors{{"email", "required"}}));
}

TEST(JsonIoStringField, OtherTypesAreNotStrings) {
  const auto d = *parse_body(R"({"a": 1, "b": null, "c": ["x"], "d": {"x": "y"}, "e": true})");
  FieldErrors errors;
  for (const char* name : {"a", "b", "c", "d", "e"}) EXPECT_FALSE(string_field(d, name, 100, errors).has_value());
  EXPECT_EQ(errors, (FieldErrors{{"a", "must be a string"},
                                 {"b", "must be a string"},
                                 {"c", "must be a string"},
                                 {"d", "must be a string"},
                                 {"e", "must be a string"}}));
}

TEST(JsonIoStringField, LongerThanMaxBytesIsTooLong) {
  const auto d = *parse_body(R"({"p": "\u00e9\u00e9\u00e9"})");  // 3 characters, 6 bytes of UTF-8
  FieldErrors errors;
  EXPECT_EQ(string_field(d, "p", 6, errors), "\xc3\xa9\xc3\xa9\xc3\xa9");
  EXPECT_FALSE(string_field(d, "p", 5, errors).has_value());
  EXPECT_EQ(errors, (FieldErrors{{"p", "too long"}}));
}

TEST(JsonIoStringField, KeepsEmbeddedNulBytes) {
  const auto d = *parse_body(R"({"p": "a\u0000b"})");
  FieldErrors errors;
  EXPECT_EQ(string_field(d, "p", 10, errors), std::string("a\0b", 3));
}

TEST(JsonIoStringField, ErrorsAccumulateAcrossFields) {
  const auto d = *parse_body(R"({"password": 5})");
  FieldErrors errors;
  string_field(d, "email", 100, errors);
  string_field(d, "password", 100, errors);
  EXPECT_EQ(errors, (FieldErrors{{"email", "required"}, {"password", "must be a string"}}));
}

}  // namespace
}  // namespace latchkey::http
