// RequestHeaders: lookups by any case over the head's bytes, first line wins, set() replaces, and
// copies and moves keep answering from their own bytes.
#include "request_headers.h"

#include <gtest/gtest.h>

#include <string>

namespace latchkey::host {
namespace {

// "Host: a\r\nX-Twice: 1\r\nx-twice: 2\r\nX-Empty: \r\n" with its fields, as check_request_head finds them.
RequestHeaders sample() {
  const std::string head = "Host: a\r\nX-Twice: 1\r\nx-twice: 2\r\nX-Empty: \r\n";
  std::vector<HeaderField> fields;
  size_t at = 0;
  while (at < head.size()) {
    const size_t colon = head.find(':', at);
    const size_t end = head.find("\r\n", at);
    size_t value = colon + 1;
    while (value < end && head[value] == ' ') ++value;
    fields.push_back({static_cast<uint32_t>(at), static_cast<uint32_t>(colon - at), static_cast<uint32_t>(value),
                      static_cast<uint32_t>(end - value)});
    at = end + 2;
  }
  return RequestHeaders(head, fields);
}

TEST(RequestHeaders, FindsANameInAnyCase) {
  const RequestHeaders headers = sample();
  EXPECT_EQ(headers.find("host"), "a");
  EXPECT_EQ(headers.find("HOST"), "a");
  EXPECT_EQ(headers.find("HoSt"), "a");
  EXPECT_FALSE(headers.find("hos"));
  EXPECT_FALSE(headers.find("hostx"));
  EXPECT_FALSE(headers.find(""));
}

TEST(RequestHeaders, ANameSentTwiceAnswersItsFirstLine) { EXPECT_EQ(sample().find("x-twice"), "1"); }

TEST(RequestHeaders, AnEmptyValueIsFoundAndEmpty) {
  const auto value = sample().find("x-empty");
  ASSERT_TRUE(value);
  EXPECT_TRUE(value->empty());
}

TEST(RequestHeaders, SetReplacesEveryLineOfTheName) {
  RequestHeaders headers = sample();
  headers.set("x-twice", "1, 2");
  EXPECT_EQ(headers.find("X-Twice"), "1, 2");
  EXPECT_EQ(headers.size(), 3u);
  headers.set("X-New", "new");
  EXPECT_EQ(headers.find("x-new"), "new");
  EXPECT_EQ(headers.find("host"), "a") << "fields kept as offsets still find their bytes after they moved";
}

TEST(RequestHeaders, CopiesAndMovesAnswerFromTheirOwnBytes) {
  RequestHeaders original = sample();
  const RequestHeaders copy = original;
  original.set("host", "changed");
  EXPECT_EQ(copy.find("host"), "a");
  const RequestHeaders moved = std::move(original);
  EXPECT_EQ(moved.find("host"), "changed");
}

TEST(RequestHeaders, AnEmptySetFindsNothing) {
  const RequestHeaders none;
  EXPECT_FALSE(none.find("host"));
  EXPECT_EQ(none.size(), 0u);
}

}  // namespace
}  // namespace latchkey::host
