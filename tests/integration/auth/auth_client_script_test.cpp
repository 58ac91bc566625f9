// GET /api/auth/client.js serves the browser client, byte for byte the file in examples/web.
#include "auth_test_support.h"

#include <fstream>
#include <sstream>

namespace latchkey::test::auth {
namespace {

class AuthClientScript : public AuthFixture {};

TEST_F(AuthClientScript, ServesTheExampleClientVerbatimAsJavaScript) {
  start_host();
  std::ifstream file(kSourceDir + "/examples/web/latchkey-client.js", std::ios::binary);
  std::stringstream expected;
  expected << file.rdbuf();
  ASSERT_FALSE(expected.str().empty());

  const HttpResult served = http.get(auth_url("/client.js"));
  ASSERT_EQ(served.status, 200);
  EXPECT_EQ(served.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(served.body, expected.str());
  // Public: no token needed, and a POST is not a route.
  EXPECT_EQ(http.post(auth_url("/client.js"), "{}", kJson).status, 405);
}

}  // namespace
}  // namespace latchkey::test::auth
