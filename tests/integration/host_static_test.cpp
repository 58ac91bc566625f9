// Through the real host: static files with their Content-Type, and no way out of the folder.
#include "host_test_support.h"
#include "support/raw_http.h"

#include <chrono>
#include <filesystem>
#include <thread>

namespace latchkey::test {
namespace {

constexpr const char* kOutside = "OUTSIDE_SECRET_CONTENT";

class HostStatic : public HostTest {
 protected:
  void SetUp() override {
    host.write_file("web/index.html", "<!doctype html><title>index</title>");
    host.write_file("web/app.js", "console.log('app');");
    host.write_file("web/style.css", "body { color: red; }");
    host.write_file("web/sub/page.html", "<p>sub</p>");
    host.write_file("x", kOutside);  // beside the web folder: must never be served
    host.write_file("secret.txt", kOutside);
    std::filesystem::create_symlink(host.dir() / "secret.txt", host.dir() / "web/link.txt");
    std::filesystem::create_directory_symlink(host.dir(), host.dir() / "web/up");
    start_host(R"("threads": 2, "static": {"/": "web"})");
  }

  void expect_not_served(const std::string& path) {
    const HttpResult result = http.get(url(path));
    EXPECT_TRUE(is_json_error(result, 404, "not_found")) << path;
    EXPECT_EQ(result.body.find(kOutside), std::string::npos) << path << " served the outside file";
  }
};

// 24 MiB: more than loopback's socket buffers hold, so a worker's direct send takes only part of
// it and the reactor's write queue sends the rest as the client reads (http_server.cpp, respond).
std::string big_file_bytes() {
  std::string bytes(24 << 20, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>('a' + (i * 7 + i / 4093) % 26);
  return bytes;
}

// Asks for /big.bin with the given Connection header, reads nothing for 300 ms, then reads the
// answer and checks its body arrived whole and in order.
void expect_big_file_whole(RawConnection& connection, const std::string& big, const std::string& connection_header) {
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(connection.send("GET /big.bin HTTP/1.1\r\nHost: test\r\nConnection: " + connection_header + "\r\n\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the client reads nothing yet
  const auto response = connection.read_response(std::chrono::seconds(60));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("Connection"), connection_header);
  EXPECT_EQ(response->header("Content-Length"), std::to_string(big.size()));
  ASSERT_EQ(response->body.size(), big.size());
  EXPECT_TRUE(response->body == big) << "the body arrived out of order or changed";
}

TEST_F(HostStatic, AResponseLargerThanTheSocketReachesASlowReaderWholeAndTheConnectionGoesOn) {
  const std::string big = big_file_bytes();
  host.write_file("web/big.bin", big);
  RawConnection connection(host.port());
  ASSERT_NO_FATAL_FAILURE(expect_big_file_whole(connection, big, "keep-alive"));
  // The same connection takes its next request once the rest was written.
  ASSERT_TRUE(connection.send("GET /index.html HTTP/1.1\r\nHost: test\r\nConnection: keep-alive\r\n\r\n"));
  const auto next = connection.read_response(std::chrono::seconds(10));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(next->body, "<!doctype html><title>index</title>");
}

TEST_F(HostStatic, ALargeResponseOnAClosingConnectionEndsAfterItsLastByte) {
  const std::string big = big_file_bytes();
  host.write_file("web/big.bin", big);
  RawConnection connection(host.port());
  ASSERT_NO_FATAL_FAILURE(expect_big_file_whole(connection, big, "close"));
  EXPECT_TRUE(connection.closed_by_peer(std::chrono::seconds(5)));
}

TEST_F(HostStatic, HtmlJsAndCssHaveTheirContentType) {
  HttpResult result = http.get(url("/index.html"));
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.body, "<!doctype html><title>index</title>");
  EXPECT_EQ(result.header("Content-Type").rfind("text/html", 0), 0u) << result.header("Content-Type");
  result = http.get(url("/app.js"));
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.body, "console.log('app');");
  EXPECT_EQ(result.header("Content-Type").rfind("text/javascript", 0), 0u) << result.header("Content-Type");
  result = http.get(url("/style.css"));
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.header("Content-Type").rfind("text/css", 0), 0u) << result.header("Content-Type");
}

TEST_F(HostStatic, FolderServesItsIndexHtml) {
  const HttpResult result = http.get(url("/"));
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.body, "<!doctype html><title>index</title>");
  EXPECT_EQ(http.get(url("/sub/page.html")).body, "<p>sub</p>");
}

TEST_F(HostStatic, AFileOverSixtyFourMiBIsRefusedWithoutBeingRead) {
  // Sparse: 64 MiB + 1 byte on disk costs nothing, and would cost that much memory if it were read.
  const std::filesystem::path huge = host.dir() / "web/huge.bin";
  host.write_file("web/huge.bin", "");
  std::filesystem::resize_file(huge, (64ull << 20) + 1);
  const HttpResult result = http.get(url("/huge.bin"));
  EXPECT_TRUE(is_json_error(result, 500, "file_too_large")) << result.status << " " << result.body.substr(0, 200);
  const HttpResult index = http.get(url("/index.html"));
  EXPECT_EQ(index.status, 200) << "the host goes on serving";
}

TEST_F(HostStatic, MissingFileIs404Json) {
  expect_not_served("/missing.html");
  expect_not_served("/sub/");  // a folder without index.html
}

TEST_F(HostStatic, DotDotTraversalIsRefused) {
  expect_not_served("/../x");
  expect_not_served("/../secret.txt");
  expect_not_served("/sub/../../x");
}

TEST_F(HostStatic, PercentEncodedTraversalIsRefused) {
  expect_not_served("/%2e%2e/x");
  expect_not_served("/%2E%2E%2Fx");
  expect_not_served("/a/..%2f..%2fx");
  expect_not_served("/%2e%2e%2fsecret.txt");
  expect_not_served("/sub/%2e%2e/%2e%2e/secret.txt");
}

TEST_F(HostStatic, SymlinksOutOfTheFolderAreRefused) {
  expect_not_served("/link.txt");
  expect_not_served("/up/secret.txt");
  expect_not_served("/up/x");
}

TEST_F(HostStatic, RoutesStillWinOverStaticFiles) {
  EXPECT_EQ(http.get(url("/test/fast")).body, R"({"ok":true})");
}

}  // namespace
}  // namespace latchkey::test
