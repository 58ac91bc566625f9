// One security event of the audit log (CONTRACT §9): what happened, to whom, from where. The
// detail is JSON without secrets: never a password, token, cookie, key or one-time secret.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace latchkey::audit {

struct AuditEvent {
  std::string id;              // 128-bit random hex, set when written
  int64_t at_ms = 0;           // Unix milliseconds
  std::string event;           // "login.failed"
  std::string user_id;         // "" when none is known
  std::string session_id;      // "" when none
  std::string client_address;  // "" for the CLI
  std::string user_agent;      // at most kMaxUserAgent bytes
  std::string detail = "{}";   // a JSON object
};

inline constexpr size_t kMaxUserAgent = 256;

// {"key":"value",...} from string pairs, as JSON (values escaped by RapidJSON).
std::string detail(std::initializer_list<std::pair<std::string_view, std::string_view>> fields);

// "2026-12-04T12:00:00.123Z" and back (the back also takes seconds without a fraction and a
// date alone, "2026-12-04", as midnight UTC). nullopt for anything else.
std::string format_time(int64_t at_ms);
std::optional<int64_t> parse_time(std::string_view iso);

// The event as one JSON object: {"audit":"login.failed","at":"...","user":...,"session":...,
// "address":...,"user_agent":...,"detail":{...}}; absent ids are null. For the host log (one
// line) and as the ABI 1.2 event's body.
std::string to_json(const AuditEvent& event);

// text cut to at most max bytes without splitting a UTF-8 sequence.
std::string cut_utf8(std::string_view text, size_t max);

// What a client sent (a User-Agent), made safe to store: each byte that is not part of a valid
// UTF-8 sequence, and each control character, becomes '?'; then cut_utf8 to max. A header may
// carry any byte from 0x80 (RFC 9110), and PostgreSQL and MariaDB refuse invalid UTF-8: stored
// as sent, it would fail the audit row and with it the change it records.
std::string printable_utf8(std::string_view text, size_t max);

}  // namespace latchkey::audit
