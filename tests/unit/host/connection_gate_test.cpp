// ConnectionGate: a connection's bytes framed into requests, however the reads split them.
#include "front_door/connection_gate.h"

#include <gtest/gtest.h>

#include <string>

namespace latchkey::host {
namespace {

using Kind = ConnectionGate::Step::Kind;

const std::string kRequest = "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
// What of it reaches Pistache's parser: the request line, Content-Length and the body.
const std::string kParsed = "POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";

TEST(ConnectionGate, PassesAWholeRequestInOneRead) {
  ConnectionGate gate(16384, 100);
  const auto step = gate.on_bytes(kRequest);
  ASSERT_EQ(step.kind, Kind::forward);
  EXPECT_EQ(step.bytes, kParsed);
  EXPECT_TRUE(gate.keep_alive());
}

TEST(ConnectionGate, HoldsTheHeadUntilItIsCompleteWhateverTheSplit) {
  for (size_t split = 1; split < kRequest.size(); ++split) {
    ConnectionGate gate(16384, 100);
    std::string forwarded;
    for (size_t i = 0; i < kRequest.size(); i += split) {
      const auto step = gate.on_bytes(std::string_view(kRequest).substr(i, split));
      ASSERT_NE(step.kind, Kind::refuse) << "split " << split;
      if (step.kind == Kind::forward) forwarded += step.bytes;
      // Nothing reaches the parser before the whole head has arrived and passed the checks.
      if (i + split < kRequest.find("hello")) EXPECT_EQ(step.kind, Kind::wait) << "split " << split;
    }
    EXPECT_EQ(forwarded, kParsed) << "split " << split;
    EXPECT_EQ(gate.take_headers().find("host"), "a") << "split " << split;
  }
}

TEST(ConnectionGate, RefusesADeclaredBodyOverTheLimitBeforeReadingIt) {
  ConnectionGate gate(16384, 100);
  const auto step = gate.on_bytes("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000000\r\n\r\n");
  ASSERT_EQ(step.kind, Kind::refuse);
  EXPECT_EQ(step.refusal.status, 413u);
  EXPECT_EQ(gate.on_bytes(std::string(4096, 'x')).kind, Kind::ignore) << "the body that follows is dropped";
}

TEST(ConnectionGate, RefusesAHeadPastTheLimitWithoutWaitingForItsEnd) {
  ConnectionGate gate(1024, 100);
  EXPECT_EQ(gate.on_bytes("GET / HTTP/1.1\r\nHost: a\r\nX-Big: ").kind, Kind::wait);
  const auto step = gate.on_bytes(std::string(2000, 'a'));
  ASSERT_EQ(step.kind, Kind::refuse);
  EXPECT_EQ(step.refusal.status, 431u);
  EXPECT_EQ(step.refusal.code, "headers_too_large");
}

// The status a fresh connection's gate refuses bytes with at once (0: not refused).
uint32_t refused_at_once(std::string_view bytes) {
  ConnectionGate gate(16384, 100);
  const auto step = gate.on_bytes(bytes);
  return step.kind == Kind::refuse ? step.refusal.status : 0;
}

TEST(ConnectionGate, AHeadWithoutAColonIsRefusedNotAwaited) {
  EXPECT_EQ(refused_at_once("GET / HTTP/1.1\r\nHost: a\r\nnocolon\r\n\r\n"), 400u);
}

TEST(ConnectionGate, ReadsTheNextRequestAfterTheFirst) {
  ConnectionGate gate(16384, 100);
  ASSERT_EQ(gate.on_bytes(kRequest).kind, Kind::forward);
  gate.request_done();
  EXPECT_TRUE(gate.response_starts());
  EXPECT_FALSE(gate.response_written());
  const auto second = gate.on_bytes(kRequest);
  ASSERT_EQ(second.kind, Kind::forward);
  EXPECT_EQ(second.bytes, kParsed);
}

TEST(ConnectionGate, IgnoresEmptyLinesBeforeARequest) {
  ConnectionGate gate(16384, 100);
  const auto step = gate.on_bytes("\r\n\r\n" + kRequest);
  ASSERT_EQ(step.kind, Kind::forward);
  EXPECT_EQ(step.bytes, kParsed);
}

TEST(ConnectionGate, PipelinedBytesAreDroppedAndTheConnectionCloses) {
  ConnectionGate gate(16384, 100);
  const auto step = gate.on_bytes(kRequest + kRequest);
  ASSERT_EQ(step.kind, Kind::forward);
  EXPECT_EQ(step.bytes, kParsed);
  EXPECT_FALSE(gate.keep_alive());
  gate.request_done();
  EXPECT_FALSE(gate.response_starts()) << "the response says Connection: close";
  EXPECT_TRUE(gate.response_written()) << "and the connection ends after it";
  EXPECT_EQ(gate.on_bytes(kRequest).kind, Kind::ignore);
}

TEST(ConnectionGate, ConnectionCloseEndsTheConnectionAfterTheRequest) {
  ConnectionGate gate(16384, 100);
  ASSERT_EQ(gate.on_bytes("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").kind, Kind::forward);
  EXPECT_FALSE(gate.keep_alive());
  gate.request_done();
  EXPECT_FALSE(gate.response_starts());
  EXPECT_TRUE(gate.response_written());
  EXPECT_EQ(gate.on_bytes(kRequest).kind, Kind::ignore);
}

TEST(ConnectionGate, BareLineFeedsAreRefusedNotAwaited) {
  EXPECT_EQ(refused_at_once("GET / HTTP/1.1\nHost: a\n\n"), 400u);
}

TEST(ConnectionGate, LineFeedsInTheBodyAreTheBodys) {
  ConnectionGate gate(16384, 100);
  const std::string request = "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\na\nb\nc";
  const auto step = gate.on_bytes(request);
  ASSERT_EQ(step.kind, Kind::forward);
  EXPECT_EQ(step.bytes, "POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\na\nb\nc");
}

TEST(ConnectionGate, OnlyTheLinesTheParserNeedsReachIt) {
  ConnectionGate gate(16384, 100);
  const std::string token(600, 't');
  const auto step = gate.on_bytes("GET /x?a=1 HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + token +
                                  "\r\nCookie: one=1\r\nContent-Length: 0\r\nContent-Length: 0\r\n"
                                  "Cookie: two=2\r\nX-Forwarded-For: 10.0.0.1\r\nx-forwarded-for: 10.0.0.2\r\n\r\n");
  ASSERT_EQ(step.kind, Kind::forward);
  EXPECT_EQ(step.bytes, "GET /x?a=1 HTTP/1.1\r\nContent-Length: 0\r\nCookie: one=1; two=2\r\n\r\n");
  const RequestHeaders headers = gate.take_headers();
  EXPECT_EQ(headers.find("AUTHORIZATION"), "Bearer " + token);
  EXPECT_EQ(headers.find("cookie"), "one=1; two=2") << "Cookie lines are joined, as the parser sees them";
  EXPECT_EQ(headers.find("content-length"), "0") << "another name sent twice answers its first line";
  EXPECT_EQ(headers.find("x-forwarded-for"), "10.0.0.1, 10.0.0.2") << "these lines are joined";
  EXPECT_EQ(headers.find("content-length"), "0");
  EXPECT_FALSE(headers.find("x-missing"));
}

TEST(ConnectionGate, EachRequestHasItsOwnHeaders) {
  ConnectionGate gate(16384, 100);
  ASSERT_EQ(gate.on_bytes("GET / HTTP/1.1\r\nHost: first\r\nX-Only-First: 1\r\n\r\n").kind, Kind::forward);
  EXPECT_EQ(gate.take_headers().find("x-only-first"), "1");
  gate.request_done();
  gate.response_starts();
  gate.response_written();
  ASSERT_EQ(gate.on_bytes("GET / HTTP/1.1\r\nHost: second\r\n\r\n").kind, Kind::forward);
  const RequestHeaders second = gate.take_headers();
  EXPECT_EQ(second.find("host"), "second");
  EXPECT_FALSE(second.find("x-only-first"));
  EXPECT_EQ(second.size(), 1u);
}

}  // namespace
}  // namespace latchkey::host
