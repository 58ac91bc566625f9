#include "audit/audit_event.h"

#include <rapidjson/document.h>
#include <rapidjson/encodings.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace latchkey::audit {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void string_or_null(Writer& writer, const std::string& value) {
  if (value.empty()) writer.Null();
  else writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

bool digits(std::string_view text, size_t at, size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::string detail(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  for (const auto& [key, value] : fields) {
    writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  writer.EndObject();
  return buffer.GetString();
}

std::string format_time(int64_t at_ms) {
  const std::time_t seconds = static_cast<std::time_t>(at_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];  // room for any int year: the compiler checks the worst case
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(at_ms % 1000));
  return text;
}

std::optional<int64_t> parse_time(std::string_view iso) {
  std::tm utc{};
  int year, month, day, hour = 0, minute = 0, second = 0, millis = 0;
  if (!digits(iso, 0, 4, year) || iso.size() < 10 || iso[4] != '-' || !digits(iso, 5, 2, month) || iso[7] != '-' ||
      !digits(iso, 8, 2, day))
    return std::nullopt;
  size_t at = 10;
  if (iso.size() > at) {
    if (iso[at] != 'T' || !digits(iso, at + 1, 2, hour) || iso.size() < at + 9 || iso[at + 3] != ':' ||
        !digits(iso, at + 4, 2, minute) || iso[at + 6] != ':' || !digits(iso, at + 7, 2, second))
      return std::nullopt;
    at += 9;
    if (at < iso.size() && iso[at] == '.') {
      if (!digits(iso, at + 1, 3, millis)) return std::nullopt;
      at += 4;
    }
    if (at + 1 != iso.size() || iso[at] != 'Z') return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  utc.tm_year = year - 1900;
  utc.tm_mon = month - 1;
  utc.tm_mday = day;
  utc.tm_hour = hour;
  utc.tm_min = minute;
  utc.tm_sec = second;
  const std::time_t seconds = timegm(&utc);
  if (utc.tm_mday != day) return std::nullopt;  // 2026-02-31 rolled over into March
  return static_cast<int64_t>(seconds) * 1000 + millis;
}

std::string to_json(const AuditEvent& event) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  writer.Key("audit");
  writer.String(event.event.data(), static_cast<rapidjson::SizeType>(event.event.size()));
  writer.Key("at");
  writer.String(format_time(event.at_ms).c_str());
  writer.Key("user");
  string_or_null(writer, event.user_id);
  writer.Key("session");
  string_or_null(writer, event.session_id);
  writer.Key("address");
  string_or_null(writer, event.client_address);
  writer.Key("user_agent");
  string_or_null(writer, event.user_agent);
  writer.Key("detail");
  rapidjson::Document detail;
  detail.Parse(event.detail.data(), event.detail.size());
  if (detail.HasParseError() || !detail.IsObject()) detail.SetObject();
  detail.Accept(writer);
  writer.EndObject();
  return buffer.GetString();
}

std::string printable_utf8(std::string_view text, size_t max) {
  struct Discard {
    void Put(char) {}
  } ignored;
  std::string out;
  out.reserve(std::min(text.size(), max));
  size_t at = 0;
  while (at < text.size() && out.size() < max) {
    const unsigned char byte = static_cast<unsigned char>(text[at]);
    if (byte < 0x80) {
      out += (byte < 0x20 || byte == 0x7F) ? '?' : static_cast<char>(byte);
      ++at;
      continue;
    }
    // RapidJSON's validator reads one sequence; MemoryStream gives '\0' past the end, which is
    // no continuation byte, so a truncated sequence is invalid.
    rapidjson::MemoryStream in(text.data() + at, text.size() - at);
    if (rapidjson::UTF8<>::Validate(in, ignored)) {
      out.append(text.substr(at, in.Tell()));
      at += in.Tell();
    } else {
      out += '?';
      ++at;
    }
  }
  return cut_utf8(out, max);
}

std::string cut_utf8(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // a continuation byte
  return std::string(text.substr(0, end));
}

}  // namespace latchkey::audit
