// Through the real host: 404, 405, 413, and plugin failures answered as 500 JSON.
#include "host_test_support.h"

namespace latchkey::test {
namespace {

class HostErrors : public HostTest {};

TEST_F(HostErrors, UnknownRouteIs404Json) {
  start_host();
  EXPECT_TRUE(is_json_error(http.get(url("/no/such/route")), 404, "not_found"));
  EXPECT_TRUE(is_json_error(http.post(url("/no/such/route"), "{}"), 404, "not_found"));
  EXPECT_TRUE(is_json_error(http.request("DELETE", url("/")), 404, "not_found"));
}

TEST_F(HostErrors, TrailingSlashOnARouteIs404) {
  start_host();
  EXPECT_TRUE(is_json_error(http.get(url("/test/fast/")), 404, "not_found"));
}

TEST_F(HostErrors, WrongMethodIs405WithAllow) {
  start_host();
  HttpResult result = http.request("DELETE", url("/test/fast"));
  EXPECT_TRUE(is_json_error(result, 405, "method_not_allowed"));
  EXPECT_EQ(result.header("Allow"), "GET");
  result = http.get(url("/test/echo"));
  EXPECT_TRUE(is_json_error(result, 405, "method_not_allowed"));
  EXPECT_EQ(result.header("Allow"), "POST");
  result = http.post(url("/test/items/7"), "");
  EXPECT_TRUE(is_json_error(result, 405, "method_not_allowed"));
  EXPECT_EQ(result.header("Allow"), "GET");
}

TEST_F(HostErrors, BodyOneByteOverMaxBodyBytesIs413Json) {
  start_host(R"("threads": 2, "max_body_bytes": 1024)");
  const HttpResult at_limit = http.post(url("/test/echo"), std::string(1024, 'a'));
  ASSERT_EQ(at_limit.status, 200) << at_limit.error;
  EXPECT_EQ(string_member(parse_json(at_limit.body), "body"), std::string(1024, 'a'));
  const HttpResult over = http.post(url("/test/echo"), std::string(1025, 'a'));
  EXPECT_TRUE(is_json_error(over, 413, "body_too_large"));
  EXPECT_EQ(http.get(url("/test/fast")).status, 200);
}

TEST_F(HostErrors, HugeBodyIs413AndHostKeepsAnswering) {
  start_host(R"("threads": 2, "max_body_bytes": 1024)");
  const HttpResult huge = http.post(url("/test/echo"), std::string(4 << 20, 'a'));
  EXPECT_EQ(huge.status, 413) << huge.error;
  EXPECT_EQ(http.get(url("/test/fast")).status, 200);
}

TEST_F(HostErrors, ThrowingHandlerIs500JsonAndHostKeepsAnswering) {
  start_host();
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(is_json_error(http.get(url("/test/throw")), 500, "internal_error"));
  EXPECT_EQ(http.get(url("/test/fast")).status, 200);
  EXPECT_TRUE(host.running());
  EXPECT_NE(host.stderr_text().find("the test plugin throws"), std::string::npos);
}

TEST_F(HostErrors, ErroringHandlerIs500JsonDiscardingWhatItWrote) {
  start_host();
  const HttpResult result = http.get(url("/test/fail"));
  EXPECT_TRUE(is_json_error(result, 500, "internal_error"));
  EXPECT_EQ(result.body.find("SHOULD_NOT_LEAK"), std::string::npos) << result.body;
  EXPECT_EQ(http.get(url("/test/fast")).status, 200);
}

}  // namespace
}  // namespace latchkey::test
