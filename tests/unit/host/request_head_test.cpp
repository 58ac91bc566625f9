// check_request_head: what the host refuses before Pistache parses a request, and why.
#include "front_door/request_head.h"

#include <gtest/gtest.h>

#include <string>

namespace latchkey::host {
namespace {

constexpr size_t kMaxBody = 65536;

std::string head(const std::string& request_line, const std::string& headers) {
  return request_line + "\r\n" + headers + "\r\n";
}

HeadCheck check(const std::string& headers, const std::string& request_line = "POST /api/auth/login HTTP/1.1") {
  return check_request_head(head(request_line, headers), kMaxBody);
}

TEST(RequestHead, AcceptsAnOrdinaryRequestAndReadsItsLength) {
  const HeadCheck result = check("Host: 127.0.0.1:8080\r\nContent-Type: application/json\r\nContent-Length: 42\r\n");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.content_length, 42u);
  EXPECT_TRUE(result.keep_alive);
}

TEST(RequestHead, Http11StaysOpenUnlessTheClientSaysClose) {
  EXPECT_TRUE(check("Host: a\r\n").keep_alive);
  EXPECT_TRUE(check("Host: a\r\nConnection: keep-alive\r\n").keep_alive);
  EXPECT_FALSE(check("Host: a\r\nConnection: close\r\n").keep_alive);
  EXPECT_FALSE(check("Host: a\r\nConnection: Upgrade, CLOSE\r\n").keep_alive);
  EXPECT_FALSE(check("Host: a\r\nConnection: keep-alive\r\nConnection: close\r\n").keep_alive);
}

TEST(RequestHead, Http10ClosesUnlessItAskedForKeepAlive) {
  EXPECT_FALSE(check("", "GET / HTTP/1.0").keep_alive);
  EXPECT_TRUE(check("Connection: Keep-Alive\r\n", "GET / HTTP/1.0").keep_alive);
  EXPECT_TRUE(check("", "GET / HTTP/1.0").ok()) << "HTTP/1.0 needs no Host";
}

TEST(RequestHead, ContentLengthMustBeDigits) {
  for (const char* value : {"-1", "+5", "0x10", "1 2", "", "12a", "1,1"}) {
    const HeadCheck result = check(std::string("Host: a\r\nContent-Length: ") + value + "\r\n");
    EXPECT_EQ(result.status, 400u) << value;
    EXPECT_EQ(result.code, "invalid_request") << value;
  }
}

TEST(RequestHead, ContentLengthOverTheLimitIs413WhateverItsSize) {
  for (const char* value : {"65537", "2000000000", "1000000000000", "99999999999999999999999999999"}) {
    const HeadCheck result = check(std::string("Host: a\r\nContent-Length: ") + value + "\r\n");
    EXPECT_EQ(result.status, 413u) << value;
    EXPECT_EQ(result.code, "body_too_large") << value;
  }
  EXPECT_TRUE(check("Host: a\r\nContent-Length: 65536\r\n").ok());
  EXPECT_EQ(check("Host: a\r\nContent-Length: 000000000000000000000000007\r\n").content_length, 7u);
}

TEST(RequestHead, TwoDifferentContentLengthsAreRefused) {
  EXPECT_EQ(check("Host: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n").status, 400u);
  EXPECT_TRUE(check("Host: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n").ok());
}

TEST(RequestHead, TransferEncodingNeedsALengthInstead) {
  EXPECT_EQ(check("Host: a\r\nTransfer-Encoding: chunked\r\n").status, 411u);
  EXPECT_EQ(check("Host: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n").status, 400u);
}

TEST(RequestHead, HeaderLinesMustBeNameColonValue) {
  EXPECT_EQ(check("Host: a\r\nX-No-Colon\r\n").status, 400u);
  EXPECT_EQ(check("Host: a\r\nX-Space : v\r\n").status, 400u);
  EXPECT_EQ(check("Host: a\r\n: empty name\r\n").status, 400u);
  EXPECT_EQ(check("Host: a\r\nX-A: 1\r\n folded\r\n").status, 400u);
  EXPECT_EQ(check("Host: a\r\nX-A: bare\nlf\r\n").status, 400u);
  EXPECT_EQ(check("Host: a\r\nX-A: bare\rcr\r\n").status, 400u);
  EXPECT_EQ(check(std::string("Host: a\r\nX-A: n\0l\r\n", 19)).status, 400u);  // 19: the NUL inside, not the one after
  EXPECT_TRUE(check("Host: a\r\nX-A: caf\xc3\xa9\t tab\r\n").ok()) << "obs-text and HTAB are allowed";
}

TEST(RequestHead, HostMustBeOneAndHaveANumericPort) {
  EXPECT_EQ(check("").status, 400u);
  EXPECT_EQ(check("Host: a\r\nHost: b\r\n").status, 400u);
  for (const char* host : {"a:notaport", "a:", "a:65536", "a:-1", "[::1", "[::1]x", "[::1]:99999", ":80"}) {
    EXPECT_EQ(check(std::string("Host: ") + host + "\r\n").status, 400u) << host;
  }
  for (const char* host : {"a", "a:80", "127.0.0.1:65535", "[::1]", "[::1]:8080", "example.com"}) {
    EXPECT_TRUE(check(std::string("Host: ") + host + "\r\n").ok()) << host;
  }
}

TEST(RequestHead, EveryCookieNeedsNameAndValue) {
  EXPECT_EQ(check("Host: a\r\nCookie: accessToken\r\n").status, 400u);
  EXPECT_EQ(check("Host: a\r\nCookie: a=1; b\r\n").status, 400u);
  EXPECT_EQ(check("Host: a\r\nCookie: =x\r\n").status, 400u);
  EXPECT_TRUE(check("Host: a\r\nCookie: a=1; b=; c=x=y\r\n").ok());
  EXPECT_TRUE(check("Host: a\r\nCookie: \r\n").ok());
}

TEST(RequestHead, RequestLineMustBeWellFormed) {
  EXPECT_EQ(check("Host: a\r\n", "GET /").status, 400u);
  EXPECT_EQ(check("Host: a\r\n", "GET  / HTTP/1.1").status, 400u);
  EXPECT_EQ(check("Host: a\r\n", "G(T / HTTP/1.1").status, 400u);
  EXPECT_EQ(check("Host: a\r\n", "GET /a\x01 HTTP/1.1").status, 400u);
  EXPECT_EQ(check("Host: a\r\n", "GET / HTTP/1.1x").status, 400u);
  EXPECT_EQ(check("Host: a\r\n", "GET / http/1.1").status, 400u);
  const HeadCheck http2 = check("Host: a\r\n", "GET / HTTP/2.0");
  EXPECT_EQ(http2.status, 505u);
  EXPECT_EQ(http2.code, "http_version_not_supported");
}

TEST(RequestHead, ForwardedHeaderLinesAreJoinedInOrder) {
  const HeadCheck result = check(
      "Host: a\r\nX-Forwarded-For: 10.9.9.9\r\nx-forwarded-for:198.51.100.7, 10.0.0.2 \r\n"
      "X-Forwarded-Proto: https\r\nX-Forwarded-Host: a.example\r\nX-Forwarded-Host: b.example\r\n");
  ASSERT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.forwarded_headers.at("x-forwarded-for"), "10.9.9.9, 198.51.100.7, 10.0.0.2");
  EXPECT_EQ(result.forwarded_headers.at("x-forwarded-proto"), "https");
  EXPECT_EQ(result.forwarded_headers.at("x-forwarded-host"), "a.example, b.example");
  EXPECT_TRUE(check("Host: a\r\nX-Forwarded: for=1.2.3.4\r\n").forwarded_headers.empty());
}

// What the host reads (fields) and what Pistache's parser is given (parser_head).
TEST(RequestHead, FieldsAreTheTrimmedValuesAndTheParserGetsOnlyWhatItReads) {
  const std::string text = head("POST /x?y=1 HTTP/1.1",
                                "Host: a\r\nX-Tabs:\t a b \t\r\nContent-Length: 3\r\ncontent-length: 3\r\n"
                                "Cookie:  c=1 \r\nAuthorization: Bearer t\r\nCookie: d=2\r\nX-Empty:\r\n");
  const HeadCheck result = check_request_head(text, kMaxBody);
  ASSERT_TRUE(result.ok()) << result.message;
  std::vector<std::pair<std::string, std::string>> fields;
  for (const HeaderField& field : result.fields) {
    fields.emplace_back(text.substr(field.name_offset, field.name_length), text.substr(field.value_offset, field.value_length));
  }
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"Host", "a"},           {"X-Tabs", "a b"},  {"Content-Length", "3"}, {"content-length", "3"},
      {"Cookie", "c=1"},       {"Authorization", "Bearer t"}, {"Cookie", "d=2"}, {"X-Empty", ""}};
  EXPECT_EQ(fields, expected);
  EXPECT_EQ(result.cookie, "c=1; d=2");
  EXPECT_EQ(result.cookie_lines, 2);
  EXPECT_EQ(result.parser_head, "POST /x?y=1 HTTP/1.1\r\nContent-Length: 3\r\nCookie: c=1; d=2\r\n\r\n");
  EXPECT_EQ(check("Host: a\r\n").parser_head, "POST /api/auth/login HTTP/1.1\r\n\r\n");
}

TEST(RequestHead, AnEmptyLineBeforeTheEndIsRefused) {
  EXPECT_EQ(check_request_head("GET / HTTP/1.1\r\n\r\nX\r\n\r\n", kMaxBody).status, 400u);
}

TEST(RequestHead, AHeadMustEndWithAnEmptyLine) {
  EXPECT_EQ(check_request_head("GET / HTTP/1.1\r\nHost: a\r\n", kMaxBody).status, 400u);
  EXPECT_EQ(check_request_head("", kMaxBody).status, 400u);
}

TEST(RequestHead, MessagesNeverEchoTheRequest) {
  const HeadCheck result = check("Host: secret-token-value:xyz\r\n");
  ASSERT_EQ(result.status, 400u);
  EXPECT_EQ(result.message.find("secret-token-value"), std::string::npos);
}

}  // namespace
}  // namespace latchkey::host
