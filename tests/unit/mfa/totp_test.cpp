// The TOTP check against RFC 6238 Appendix B (SHA-1) through an independent implementation, the
// ±1 step window, the code's form, secrets and the otpauth URI.
#include "mfa/totp.h"

#include "reference_totp.h"

#include <gtest/gtest.h>

#include <set>

namespace latchkey::mfa {
namespace {

const std::vector<uint8_t> kRfcKey = {'1', '2', '3', '4', '5', '6', '7', '8', '9', '0',
                                      '1', '2', '3', '4', '5', '6', '7', '8', '9', '0'};

Botan::secure_vector<uint8_t> rfc_secret() { return {kRfcKey.begin(), kRfcKey.end()}; }

TEST(ReferenceTotp, MatchesRfc6238AppendixBSha1Vectors) {
  const std::vector<std::pair<int64_t, std::string>> vectors = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const auto& [time, code] : vectors) EXPECT_EQ(test::reference_totp(kRfcKey, time, 8), code) << time;
}

TEST(Totp, AcceptsTheRfcCodesAndSaysWhichStep) {
  for (const int64_t time : {int64_t{59}, int64_t{1111111109}, int64_t{1234567890}, int64_t{2000000000}, int64_t{20000000000}}) {
    const std::string code = test::reference_totp(kRfcKey, time);
    EXPECT_EQ(code, test::reference_totp(kRfcKey, time, 8).substr(2)) << "six digits are the last six of eight";
    const auto step = matching_totp_step(rfc_secret(), code, time);
    ASSERT_TRUE(step) << time;
    EXPECT_EQ(*step, time / 30);
  }
}

TEST(Totp, AcceptsOneStepEitherSideAndRefusesTwo) {
  const int64_t now = 1800000015;
  const int64_t step = now / 30;
  for (const int64_t offset : {-1, 0, 1}) {
    const std::string code = test::reference_totp(kRfcKey, now + offset * 30);
    const auto matched = matching_totp_step(rfc_secret(), code, now);
    ASSERT_TRUE(matched) << offset;
    EXPECT_EQ(*matched, step + offset);
  }
  for (const int64_t offset : {-2, 2, -3, 3}) {
    const std::string code = test::reference_totp(kRfcKey, now + offset * 30);
    if (code == test::reference_totp(kRfcKey, now) || code == test::reference_totp(kRfcKey, now - 30) ||
        code == test::reference_totp(kRfcKey, now + 30)) {
      continue;  // a collision of six digits, one chance in 10^5
    }
    EXPECT_FALSE(matching_totp_step(rfc_secret(), code, now)) << offset;
  }
}

TEST(Totp, RefusesAnythingButSixDigits) {
  const int64_t now = 1800000015;
  const std::string code = test::reference_totp(kRfcKey, now);
  ASSERT_TRUE(matching_totp_step(rfc_secret(), code, now));
  for (const std::string bad : {code.substr(0, 5), code + "0", " " + code, code.substr(0, 5) + "a", std::string("１２３４５６"),
                                std::string(""), code.substr(0, 3) + " " + code.substr(3)}) {
    EXPECT_FALSE(is_totp_code(bad)) << bad;
    EXPECT_FALSE(matching_totp_step(rfc_secret(), bad, now)) << bad;
  }
  EXPECT_TRUE(is_totp_code("000000"));
}

TEST(Totp, SecretsAre160RandomBitsInBase32) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    const auto secret = new_totp_secret();
    ASSERT_EQ(secret.size(), 20u);
    const std::string text = base32_secret(secret);
    EXPECT_EQ(text.size(), 32u);
    EXPECT_EQ(text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string::npos) << text;
    EXPECT_EQ(test::key_of_base32(text), std::vector<uint8_t>(secret.begin(), secret.end()));
    seen.insert(text);
  }
  EXPECT_EQ(seen.size(), 20u);
}

TEST(Totp, OtpauthUriPercentEncodesIssuerAndEmail) {
  EXPECT_EQ(otpauth_uri("Latchkey", "alice@example.com", "ABC"),
            "otpauth://totp/Latchkey:alice%40example.com?secret=ABC&issuer=Latchkey");
  EXPECT_EQ(otpauth_uri("My App: Prod", "a+b@x.org", "ABC"),
            "otpauth://totp/My%20App%3A%20Prod:a%2Bb%40x.org?secret=ABC&issuer=My%20App%3A%20Prod");
}

}  // namespace
}  // namespace latchkey::mfa
