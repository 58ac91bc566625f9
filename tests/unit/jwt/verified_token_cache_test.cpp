// The verified-token cache: only verified tokens are kept, expiry is checked on every hit, another
// byte is another token, and memory stays bounded.
#include "jwt/verified_token_cache.h"

#include "jwt/key.h"
#include "jwt/key_set.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace latchkey::jwt {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

class JwtVerifiedTokenCache : public ::testing::Test {
 protected:
  KeySet keys = *KeySet::create(*Key::from_hmac_secret("a-test-secret-of-at-least-32-bytes!!").key).key_set;
  const sys_seconds now{seconds(1'800'000'000)};

  std::string token_for(const std::string& sub, sys_seconds issued = sys_seconds{seconds(1'800'000'000)}) {
    return sign_access_token(keys, {sub, sub + "@example.com", {"user"}, "sid-" + sub}, {"iss", "aud", seconds(900)},
                             issued)
        .token;
  }
  AccessTokenCheck check_at(sys_seconds at) { return {"iss", "aud", seconds(30), at, {}}; }
};

TEST_F(JwtVerifiedTokenCache, VerifiedTokenIsFoundWithItsClaims) {
  VerifiedTokenCache cache;
  const std::string token = token_for("alice");
  EXPECT_FALSE(cache.find(token, now, seconds(30)));
  const VerifiedAccessToken first = cache.verify(token, keys, check_at(now));
  ASSERT_EQ(first.error, AccessTokenError::none);
  const auto hit = cache.find(token, now, seconds(30));
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->claims.sub, "alice");
  EXPECT_EQ(hit->claims_json, first.claims_json);
}

TEST_F(JwtVerifiedTokenCache, AnotherByteIsAnotherTokenAndFailuresAreNotCached) {
  VerifiedTokenCache cache;
  std::string token = token_for("alice");
  ASSERT_EQ(cache.verify(token, keys, check_at(now)).error, AccessTokenError::none);
  token.back() = token.back() == 'A' ? 'B' : 'A';  // a flipped signature character
  EXPECT_FALSE(cache.find(token, now, seconds(30)));
  EXPECT_NE(cache.verify(token, keys, check_at(now)).error, AccessTokenError::none);
  EXPECT_FALSE(cache.find(token, now, seconds(30)));
}

TEST_F(JwtVerifiedTokenCache, CachedTokenExpiresOnTime) {
  VerifiedTokenCache cache;
  const std::string token = token_for("alice");
  ASSERT_EQ(cache.verify(token, keys, check_at(now)).error, AccessTokenError::none);
  EXPECT_EQ(cache.verify(token, keys, check_at(now + seconds(900 + 30))).error, AccessTokenError::none);
  EXPECT_EQ(cache.verify(token, keys, check_at(now + seconds(900 + 31))).error, AccessTokenError::expired);
}

TEST_F(JwtVerifiedTokenCache, StaysWithinItsCapacity) {
  VerifiedTokenCache cache(2);
  const std::string a = token_for("a"), b = token_for("b"), c = token_for("c");
  for (const std::string& token : {a, b, c}) ASSERT_EQ(cache.verify(token, keys, check_at(now)).error, AccessTokenError::none);
  // Full with nothing expired: it started over, so only the newest is kept.
  EXPECT_FALSE(cache.find(a, now, seconds(30)));
  EXPECT_FALSE(cache.find(b, now, seconds(30)));
  EXPECT_TRUE(cache.find(c, now, seconds(30)));
}

// Worker threads verify through one cache at once (the auth filter's use); run under TSan by
// `script/test --sanitize thread`. A small capacity makes inserts clear the map under readers.
TEST_F(JwtVerifiedTokenCache, ManyThreadsVerifyThroughOneCache) {
  VerifiedTokenCache cache(3);
  std::vector<std::string> tokens;
  for (const char* sub : {"a", "b", "c", "d", "e"}) tokens.push_back(token_for(sub));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string& token = tokens[(t + i) % tokens.size()];
        const VerifiedAccessToken verified = cache.verify(token, keys, check_at(now));
        if (verified.error != AccessTokenError::none || verified.claims.sid != "sid-" + verified.claims.sub) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace latchkey::jwt
