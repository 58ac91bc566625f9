// JSON in and out of the auth routes: strict request bodies, error bodies, the user and token bodies.
#pragma once

#include "session/session_service.h"
#include "store/user_store.h"

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace latchkey::http {

using FieldErrors = std::vector<std::pair<std::string, std::string>>;

// {"error": code, "message": message[, "fields": {...}]}
std::string error_body(std::string_view code, std::string_view message, const FieldErrors& fields = {});

// A time as every body writes it: "2026-12-04T15:20:00Z" (UTC, whole seconds).
std::string iso8601(int64_t epoch_seconds);

// {"user": {...}} with the field names of CONTRACT §3, and "mfa" (§10) when given.
std::string user_body(const store::User& user, const std::optional<session::UserMfa>& mfa = std::nullopt);

// The token body of CONTRACT §3; times in milliseconds from now_ms.
std::string token_body(const session::IssuedTokens& tokens, bool refresh_in_body, int64_t now_ms);

// A JSON request body: one object, no duplicate names, nesting at most max_depth objects and
// arrays deep. nullopt for anything else.
std::optional<rapidjson::Document> parse_body(std::string_view body, size_t max_depth = 4);

// The string member `name`, or nullopt (and a field error) when missing, not a string or too long.
std::optional<std::string> string_field(const rapidjson::Document& body, const char* name, size_t max_bytes,
                                        FieldErrors& errors);

}  // namespace latchkey::http
