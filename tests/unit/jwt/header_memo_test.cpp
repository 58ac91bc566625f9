// header_memo.h: only headers of tokens that verified are remembered, a remembered header still
// has its kid looked up in the key set of each call, and one byte off is another header.
#include "jwt/header_memo.h"

#include <thread>

#include <gtest/gtest.h>

#include "jwt_test_support.h"

namespace latchkey::jwt {
namespace {

using testing::forge;
using testing::must;

constexpr std::string_view kPayload = R"({"sub":"alice"})";
constexpr std::size_t kDepth = JwsLimits{}.max_json_depth;

std::string_view header_segment(std::string_view token) { return token.substr(0, token.find('.')); }

// The memory is per thread: each test starts from an empty one in a thread of its own.
template <typename Body>
void in_new_thread(Body body) {
  std::thread thread(body);
  thread.join();
}

class JwtHeaderMemo : public ::testing::Test {
 protected:
  Key hs_ = testing::hs256_key("hs");
  KeySet keys_ = must(KeySet::create(hs_));
  std::string token_ = sign_jws(hs_, kPayload, kAccessTokenType);
};

TEST_F(JwtHeaderMemo, RemembersOnlyAHeaderWhoseSignatureVerified) {
  in_new_thread([&] {
    const Key stranger = must(Key::from_hmac_secret("another secret of at least 32 bytes!", "hs"));
    const std::string forged = sign_jws(stranger, kPayload, kAccessTokenType);
    ASSERT_EQ(header_segment(forged), header_segment(token_));
    EXPECT_EQ(verify_jws_payload(forged, keys_).error, JwsError::bad_signature);
    EXPECT_EQ(remembered_header(header_segment(forged), kDepth), nullptr);

    EXPECT_EQ(verify_jws_payload(token_, keys_).error, JwsError::none);
    const HeaderFacts* facts = remembered_header(header_segment(token_), kDepth);
    ASSERT_NE(facts, nullptr);
    EXPECT_EQ(facts->algorithm, Algorithm::HS256);
    EXPECT_EQ(facts->kid, "hs");
    EXPECT_EQ(facts->typ, std::string(kAccessTokenType));
    // A forged signature under a remembered header is still a forged signature.
    EXPECT_EQ(verify_jws_payload(forged, keys_).error, JwsError::bad_signature);
  });
}

TEST_F(JwtHeaderMemo, ARememberedHeaderWhoseKidLeftTheKeySetIsRefused) {
  in_new_thread([&] {
    ASSERT_EQ(verify_jws_payload(token_, keys_).error, JwsError::none);
    ASSERT_NE(remembered_header(header_segment(token_), kDepth), nullptr);

    const KeySet rotated = must(KeySet::create(testing::hs256_key("hs-next")));
    EXPECT_EQ(verify_jws_payload(token_, rotated).error, JwsError::unknown_key);
    const KeySet reused_kid = must(KeySet::create(testing::generated_key(Algorithm::EdDSA, "hs")));
    EXPECT_EQ(verify_jws_payload(token_, reused_kid).error, JwsError::bad_algorithm);
    const Key other_secret = must(Key::from_hmac_secret("another secret of at least 32 bytes!", "hs"));
    EXPECT_EQ(verify_jws_payload(token_, must(KeySet::create(other_secret))).error, JwsError::bad_signature);
    // The access-token layer on top says the same.
    AccessTokenCheck check;
    const VerifiedAccessToken refused = verify_access_token(token_, rotated, check);
    EXPECT_EQ(refused.error, AccessTokenError::invalid_jws);
    EXPECT_EQ(refused.jws_error, JwsError::unknown_key);
    EXPECT_EQ(verify_jws_payload(token_, keys_).error, JwsError::none);
  });
}

TEST_F(JwtHeaderMemo, AHeaderOneByteOffIsAnotherHeader) {
  in_new_thread([&] {
    ASSERT_EQ(verify_jws_payload(token_, keys_).error, JwsError::none);
    const std::size_t header_size = header_segment(token_).size();
    for (std::size_t i = 0; i < header_size; ++i) {
      std::string changed = token_;
      changed[i] = changed[i] == 'A' ? 'B' : 'A';
      EXPECT_EQ(remembered_header(header_segment(changed), kDepth), nullptr) << i;
      const JwsError error = testing::verify_both_ways(changed, keys_);
      EXPECT_NE(error, JwsError::none) << i;
    }
    // One byte shorter or longer, too.
    const std::string_view segment = header_segment(token_);
    EXPECT_EQ(remembered_header(segment.substr(0, segment.size() - 1), kDepth), nullptr);
    EXPECT_EQ(remembered_header(std::string(segment) + "A", kDepth), nullptr);
  });
}

TEST_F(JwtHeaderMemo, AnotherDepthLimitIsAnotherEntry) {
  in_new_thread([&] {
    ASSERT_EQ(verify_jws_payload(token_, keys_).error, JwsError::none);
    EXPECT_NE(remembered_header(header_segment(token_), kDepth), nullptr);
    EXPECT_EQ(remembered_header(header_segment(token_), 1), nullptr);
  });
}

TEST_F(JwtHeaderMemo, HoldsAFewHeadersAndForgetsTheOldest) {
  in_new_thread([&] {
    std::vector<Key> keys;
    for (int i = 0; i < 9; ++i) keys.push_back(testing::hs256_key("k" + std::to_string(i)));
    const KeySet set = must(KeySet::verify_only(keys));
    std::vector<std::string> tokens;
    for (const Key& key : keys) {
      tokens.push_back(sign_jws(key, kPayload));
      ASSERT_EQ(verify_jws_payload(tokens.back(), set).error, JwsError::none);
    }
    EXPECT_EQ(remembered_header(header_segment(tokens[0]), kDepth), nullptr);
    for (std::size_t i = 1; i < tokens.size(); ++i) {
      EXPECT_NE(remembered_header(header_segment(tokens[i]), kDepth), nullptr) << i;
    }
    // The first one verifies as before, and is remembered again.
    EXPECT_EQ(verify_jws_payload(tokens[0], set).error, JwsError::none);
    EXPECT_NE(remembered_header(header_segment(tokens[0]), kDepth), nullptr);
  });
}

TEST_F(JwtHeaderMemo, DoesNotRememberALongHeader) {
  in_new_thread([&] {
    const std::string header = R"({"alg":"HS256","kid":"hs","pad":")" + std::string(600, 'x') + "\"}";
    const std::string token = forge(header, kPayload, &hs_);
    EXPECT_EQ(verify_jws_payload(token, keys_).error, JwsError::none);
    EXPECT_EQ(remembered_header(header_segment(token), kDepth), nullptr);
  });
}

TEST_F(JwtHeaderMemo, EachThreadHasItsOwn) {
  in_new_thread([&] {
    ASSERT_EQ(verify_jws_payload(token_, keys_).error, JwsError::none);
    EXPECT_NE(remembered_header(header_segment(token_), kDepth), nullptr);
    in_new_thread([&] { EXPECT_EQ(remembered_header(header_segment(token_), kDepth), nullptr); });
  });
}

// Every answer of the access-token path equals verify_jws's with the header remembered or not:
// the header rules (typ of the wrong type, crit, a missing kid) are never skipped.
TEST_F(JwtHeaderMemo, HeaderRulesStillApplyToOtherHeadersOfTheSameKid) {
  in_new_thread([&] {
    ASSERT_EQ(verify_jws_payload(token_, keys_).error, JwsError::none);
    for (const char* header : {R"({"alg":"HS256","typ":"at+jwt","kid":"hs","crit":["exp"]})",
                               R"({"alg":"HS256","typ":7,"kid":"hs"})", R"({"alg":"HS256","typ":"at+jwt"})",
                               R"({"alg":"none","typ":"at+jwt","kid":"hs"})",
                               R"({"alg":"HS256","typ":"at+jwt","kid":"hs","kid":"hs"})"}) {
      const std::string token = forge(header, kPayload, &hs_);
      EXPECT_NE(testing::verify_both_ways(token, keys_), JwsError::none) << header;
    }
  });
}

}  // namespace
}  // namespace latchkey::jwt
