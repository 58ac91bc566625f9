// Cache-Control parsing and which JWKS locations are accepted.
#include "google/jwks_fetch.h"

#include <gtest/gtest.h>

namespace latchkey::google {
namespace {

using namespace std::chrono_literals;

TEST(JwksFetch, ParsesMaxAgeAsGoogleSendsIt) {
  EXPECT_EQ(parse_max_age("public, max-age=19830, must-revalidate, no-transform"), 19830s);
  EXPECT_EQ(parse_max_age(" Max-Age=5"), 5s);
  EXPECT_EQ(parse_max_age("no-store"), 0s);
  EXPECT_EQ(parse_max_age("private, no-cache, max-age=100"), 0s);
  EXPECT_EQ(parse_max_age("public"), std::nullopt);
  EXPECT_EQ(parse_max_age("max-age=abc"), std::nullopt);
  EXPECT_EQ(parse_max_age("max-age=-1"), std::nullopt);
  EXPECT_EQ(parse_max_age("max-age=99999999999999999999"), std::nullopt);
}

TEST(JwksFetch, AcceptsHttpsLoopbackHttpAndFilesOnly) {
  std::string error;
  EXPECT_TRUE(make_jwks_fetcher("https://www.googleapis.com/oauth2/v3/certs", {}, error));
  EXPECT_TRUE(make_jwks_fetcher("http://127.0.0.1:8000/jwks.json", {}, error));
  EXPECT_TRUE(make_jwks_fetcher("http://localhost/jwks.json", {}, error));
  EXPECT_TRUE(make_jwks_fetcher("/etc/latchkey/jwks.json", {}, error));
  EXPECT_FALSE(make_jwks_fetcher("http://www.googleapis.com/oauth2/v3/certs", {}, error));
  EXPECT_FALSE(make_jwks_fetcher("http://localhost.evil.example/jwks", {}, error));
  EXPECT_FALSE(make_jwks_fetcher("http://127.0.0.1@evil.example/jwks", {}, error));
  EXPECT_FALSE(make_jwks_fetcher("ftp://example.com/jwks", {}, error));
  EXPECT_FALSE(error.empty());
}

TEST(JwksFetch, MissingFileIsAFailedFetch) {
  std::string error;
  const auto fetch = make_jwks_fetcher("/nonexistent/jwks.json", {}, error);
  ASSERT_TRUE(fetch);
  EXPECT_FALSE((*fetch)().ok);
}

}  // namespace
}  // namespace latchkey::google
