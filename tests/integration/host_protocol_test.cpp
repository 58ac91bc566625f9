// The host's front door on raw sockets: connection reuse, Set-Cookie bytes, and malformed requests
// answered with a JSON 4xx (never a 500, never silence) while the host stays up.
#include "host_test_support.h"
#include "support/raw_http.h"

#include <fstream>
#include <sstream>

namespace latchkey::test {
namespace {

class HostProtocol : public HostTest {
 protected:
  void SetUp() override { start_host(R"("threads": 2, "max_body_bytes": 65536)"); }

  uint16_t port() const { return host.port(); }

  // Sends bytes on a new connection and reads the one answer.
  std::optional<RawResponse> exchange(const std::string& bytes) {
    RawConnection connection(port());
    if (!connection.connected() || !connection.send(bytes)) return std::nullopt;
    return connection.read_response();
  }

  // The host still answers an ordinary request.
  bool host_serves() {
    auto response = exchange("GET /test/fast HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    return response && response->status == 200;
  }

  // The host's VmPeak in kB, from /proc (the host is the process whose command line holds our config).
  long host_vm_peak_kb() const {
    const std::string needle = host.config_path().string();
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
      std::ifstream cmdline(entry.path() / "cmdline");
      std::stringstream text;
      text << cmdline.rdbuf();
      if (text.str().find(needle) == std::string::npos || text.str().find(kHostBinary) != 0) continue;
      std::ifstream status(entry.path() / "status");
      for (std::string line; std::getline(status, line);)
        if (line.rfind("VmPeak:", 0) == 0) return std::stol(line.substr(7));
    }
    return -1;
  }
};

::testing::AssertionResult is_json_refusal(const std::optional<RawResponse>& response, int status,
                                           const std::string& code) {
  if (!response) return ::testing::AssertionFailure() << "no answer";
  if (response->status != status)
    return ::testing::AssertionFailure() << "status " << response->status << " (want " << status << "): "
                                         << response->head << "\n" << response->body;
  if (response->header("Content-Type") != "application/json")
    return ::testing::AssertionFailure() << "Content-Type " << response->header("Content-Type");
  const rapidjson::Document json = parse_json(response->body);
  if (string_member(json, "error") != code || string_member(json, "message") == "<absent>")
    return ::testing::AssertionFailure() << "body " << response->body;
  return ::testing::AssertionSuccess();
}

const std::string kGet = "GET /test/fast HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

TEST_F(HostProtocol, SetCookieValuesReachTheClientByteForByte) {
  const std::vector<std::string> cookies = {
      "accessToken=eyJ.a.b; Path=/; Max-Age=900; HttpOnly; Secure; SameSite=Strict",
      "__Host-id=1; Path=/; Secure; HttpOnly; SameSite=None; Partitioned",
      "pref=dark; Domain=example.com; Path=/app; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Priority=High",
      "refreshToken=; Path=/api/auth; Max-Age=0; HttpOnly; Secure; SameSite=Lax",
  };
  std::string body;
  for (const auto& cookie : cookies) body += (body.empty() ? "" : "\n") + cookie;
  const auto response = exchange("POST /test/set-cookies HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
                                 std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 204) << response->head;
  EXPECT_EQ(response->header_values("Set-Cookie"), cookies) << response->head;
  for (const auto& cookie : cookies) {
    EXPECT_NE(response->head.find("\r\nSet-Cookie: " + cookie + "\r\n"), std::string::npos) << cookie;
  }
}

TEST_F(HostProtocol, Http11ConnectionStaysOpenWithoutAConnectionHeader) {
  RawConnection connection(port());
  ASSERT_TRUE(connection.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(connection.send(kGet)) << "request " << i;
    const auto response = connection.read_response();
    ASSERT_TRUE(response) << "request " << i << " got no answer on the same connection";
    EXPECT_EQ(response->status, 200);
    std::string connection = response->header("Connection");
    for (char& c : connection) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_NE(connection, "close") << "Pistache 0.0.5 said `Close` here";
  }
}

TEST_F(HostProtocol, ConnectionCloseIsAnsweredThenTheHostCloses) {
  RawConnection connection(port());
  ASSERT_TRUE(connection.send("GET /test/fast HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
  const auto response = connection.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(connection.closed_by_peer());
}

TEST_F(HostProtocol, Http10ClosesUnlessItAskedForKeepAlive) {
  {
    RawConnection connection(port());
    ASSERT_TRUE(connection.send("GET /test/fast HTTP/1.0\r\n\r\n"));
    const auto response = connection.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_TRUE(connection.closed_by_peer());
  }
  RawConnection connection(port());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(connection.send("GET /test/fast HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    const auto response = connection.read_response();
    ASSERT_TRUE(response) << "request " << i;
    EXPECT_EQ(response->header("Connection"), "keep-alive");
  }
}

TEST_F(HostProtocol, NegativeContentLengthIs400) {
  EXPECT_TRUE(is_json_refusal(exchange("POST /test/echo HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"), 400,
                              "invalid_request"));
  EXPECT_TRUE(host_serves());
}

TEST_F(HostProtocol, HugeDeclaredBodiesAre413AtOnceWithoutReservingThem) {
  // Warm up first: the reactor's first allocations reserve a malloc arena (64 MiB of address space).
  ASSERT_TRUE(host_serves());
  ASSERT_TRUE(exchange("POST /test/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n"));
  const long peak_before = host_vm_peak_kb();
  ASSERT_GT(peak_before, 0);
  for (const char* length : {"1000000000000", "2000000000", "2000000000", "2000000000", "2000000000"}) {
    RawConnection connection(port());
    ASSERT_TRUE(connection.send(std::string("POST /test/echo HTTP/1.1\r\nHost: a\r\nContent-Length: ") + length +
                                "\r\n\r\n{\"partial\":"));
    // Answered before the body arrives: the test sends no more and would time out otherwise.
    const auto response = connection.read_response(std::chrono::seconds(3));
    EXPECT_TRUE(is_json_refusal(response, 413, "body_too_large")) << length;
    if (response) EXPECT_EQ(response->header("Connection"), "close");
    EXPECT_TRUE(connection.closed_by_peer()) << "the rest of that body cannot be framed: the host ends the connection";
  }
  const long peak_after = host_vm_peak_kb();
  EXPECT_LT(peak_after - peak_before, 8 * 1024) << "VmPeak grew from " << peak_before << " kB to " << peak_after;
  EXPECT_TRUE(host_serves());
}

TEST_F(HostProtocol, BodyOverTheLimitIsOne413EvenWhenItIsSent) {
  RawConnection connection(port());
  ASSERT_TRUE(connection.send("POST /test/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 262144\r\n\r\n"));
  connection.send(std::string(262144, 'x'));  // may be cut short by the host's close: that is fine
  EXPECT_TRUE(is_json_refusal(connection.read_response(), 413, "body_too_large"));
  EXPECT_FALSE(connection.read_response(std::chrono::milliseconds(500))) << "the body was read as more requests";
  EXPECT_TRUE(host_serves());
}

TEST_F(HostProtocol, BadPortInHostIs400) {
  EXPECT_TRUE(is_json_refusal(exchange("GET /test/fast HTTP/1.1\r\nHost: 127.0.0.1:notaport\r\n\r\n"), 400,
                              "invalid_request"));
  EXPECT_TRUE(host_serves());
}

TEST_F(HostProtocol, CookieWithoutValueIs400) {
  EXPECT_TRUE(is_json_refusal(exchange("GET /test/fast HTTP/1.1\r\nHost: a\r\nCookie: accessToken\r\n\r\n"), 400,
                              "invalid_request"));
  EXPECT_TRUE(host_serves());
}

TEST_F(HostProtocol, HeaderLineWithoutColonIs400NotSilence) {
  EXPECT_TRUE(is_json_refusal(exchange("GET /test/fast HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n"), 400,
                              "invalid_request"));
  EXPECT_TRUE(host_serves());
}

TEST_F(HostProtocol, HeadersPastTheLimitAre431) {
  EXPECT_TRUE(is_json_refusal(
      exchange("GET /test/fast HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n"), 431,
      "headers_too_large"));
  EXPECT_TRUE(host_serves());
}

// Pistache's parser sees only the request line, Content-Length and Cookie (request_head.h), so
// values its typed headers would throw on (once a 400 here) are served, and reach plugins as sent.
TEST_F(HostProtocol, ValuesPistachesTypedHeadersCouldNotReadAreServed) {
  for (const std::string header : {"Accept: ;;;=", "Content-Type: ;;;=", "Date: yesterday", "User-Agent: \x80\xff"}) {
    const auto answer = exchange("GET /test/items/1 HTTP/1.1\r\nHost: a\r\n" + header + "\r\nX-Probe: ;;;=\r\n\r\n");
    ASSERT_TRUE(answer) << header;
    EXPECT_EQ(answer->status, 200) << header << ": " << answer->body;
    EXPECT_NE(answer->body.find(R"("probe":";;;=")"), std::string::npos) << header << ": " << answer->body;
  }
  EXPECT_TRUE(host_serves());
}

TEST_F(HostProtocol, ChunkedBodiesAreRefusedWith411) {
  EXPECT_TRUE(is_json_refusal(
      exchange("POST /test/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), 411,
      "length_required"));
  EXPECT_TRUE(host_serves());
}

TEST_F(HostProtocol, TheNextRequestMayFollowTheAnswerAtOnce) {
  // A keep-alive client sends its next request the moment it has read an answer, before the
  // host's write completion has run: it must be served, on the same connection.
  RawConnection connection(port());
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(connection.send(kGet)) << "request " << i;
    const auto response = connection.read_response();
    ASSERT_TRUE(response) << "request " << i << " got no answer";
    ASSERT_EQ(response->status, 200);
  }
}

TEST_F(HostProtocol, BareLineFeedsAreAnswered400AtOnce) {
  EXPECT_TRUE(is_json_refusal(exchange("GET /test/fast HTTP/1.1\nHost: a\n\n"), 400, "invalid_request"));
}

TEST_F(HostProtocol, ABodySplitAcrossReadsArrivesWhole) {
  RawConnection connection(port());
  const std::string body = R"({"split":"across reads"})";
  ASSERT_TRUE(connection.send("POST /test/echo HTTP/1.1\r\nHo"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(connection.send("st: a\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 5)));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(connection.send(body.substr(5)));
  const auto response = connection.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_NE(response->body.find("across reads"), std::string::npos) << response->body;
}

}  // namespace
}  // namespace latchkey::test
