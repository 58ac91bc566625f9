// audit_event.h: the JSON of an event (the log line and the ABI event), times, detail and cutting.
#include "audit/audit_event.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace latchkey::audit {
namespace {

TEST(AuditEventJson, HoldsEveryFieldAndNullsForAbsentIds) {
  AuditEvent event;
  event.at_ms = 1764849600123;  // 2025-12-04T12:00:00.123Z
  event.event = "login.failed";
  event.user_id = "u1";
  event.client_address = "203.0.113.7";
  event.user_agent = "Agent \"quoted\"\n";
  event.detail = detail({{"reason", "invalid_credentials"}});
  const std::string json = to_json(event);
  rapidjson::Document parsed;
  parsed.Parse(json.c_str());
  ASSERT_FALSE(parsed.HasParseError()) << json;
  EXPECT_STREQ(parsed["audit"].GetString(), "login.failed");
  EXPECT_STREQ(parsed["at"].GetString(), "2025-12-04T12:00:00.123Z");
  EXPECT_STREQ(parsed["user"].GetString(), "u1");
  EXPECT_TRUE(parsed["session"].IsNull());
  EXPECT_STREQ(parsed["user_agent"].GetString(), "Agent \"quoted\"\n");
  EXPECT_STREQ(parsed["detail"]["reason"].GetString(), "invalid_credentials");
  EXPECT_EQ(json.find('\n'), std::string::npos) << "one line: the newline is escaped";
}

TEST(AuditEventJson, DetailThatIsNotAnObjectBecomesEmpty) {
  AuditEvent event;
  event.event = "logout";
  event.detail = "[1,2]";
  EXPECT_NE(to_json(event).find("\"detail\":{}"), std::string::npos);
}

TEST(AuditEventTime, FormatsAndParsesBack) {
  EXPECT_EQ(format_time(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(parse_time("2025-12-04T12:00:00.123Z"), 1764849600123);
  EXPECT_EQ(parse_time("2025-12-04T12:00:00Z"), 1764849600000);
  EXPECT_EQ(parse_time("2025-12-04"), 1764806400000);
  EXPECT_EQ(parse_time(format_time(1764849600123)), 1764849600123);
}

TEST(AuditEventTime, RefusesWhatIsNotIsoUtc) {
  for (const char* bad : {"", "2025", "2025-12-4", "2025-13-01", "2025-02-30", "2025-12-04T12:00",
                          "2025-12-04T12:00:00", "2025-12-04T12:00:00+01:00", "2025-12-04T25:00:00Z",
                          "2025-12-04 12:00:00Z", "yesterday", "2025-12-04T12:00:00.1Z"}) {
    EXPECT_FALSE(parse_time(bad).has_value()) << bad;
  }
}

TEST(AuditEventCut, NeverSplitsAUtf8Sequence) {
  EXPECT_EQ(cut_utf8("abc", 5), "abc");
  EXPECT_EQ(cut_utf8("abcdef", 3), "abc");
  EXPECT_EQ(cut_utf8("ab\xc3\xa9", 3), "ab");  // é is two bytes: not cut in half
  EXPECT_EQ(cut_utf8("\xe2\x82\xac\xe2\x82\xac", 4), "\xe2\x82\xac");
}

TEST(AuditEventPrintable, InvalidUtf8AndControlsBecomeQuestionMarks) {
  EXPECT_EQ(printable_utf8("Mozilla/5.0 (X11)", 256), "Mozilla/5.0 (X11)");
  EXPECT_EQ(printable_utf8("caf\xc3\xa9 \xe2\x82\xac", 256), "caf\xc3\xa9 \xe2\x82\xac");  // valid: kept
  EXPECT_EQ(printable_utf8("Latin-1 caf\xe9!", 256), "Latin-1 caf?!");
  EXPECT_EQ(printable_utf8("\xff\xfe", 256), "??");
  EXPECT_EQ(printable_utf8("cut \xe2\x82", 256), "cut ??");  // a truncated sequence
  EXPECT_EQ(printable_utf8("\xed\xa0\x80", 256), "???");     // a surrogate is not UTF-8
  EXPECT_EQ(printable_utf8(std::string("a\tb\0c\x7f", 6), 256), "a?b?c?");
  EXPECT_EQ(printable_utf8("abcdef", 4), "abcd");
  EXPECT_EQ(printable_utf8("ab\xc3\xa9", 3), "ab");
}

}  // namespace
}  // namespace latchkey::audit
