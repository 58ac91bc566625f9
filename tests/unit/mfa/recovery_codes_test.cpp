// Recovery codes: ten distinct "xxxxx-xxxxx" codes; what a user may type; hashes only.
#include "mfa/recovery_codes.h"

#include <botan/hex.h>
#include <botan/kdf.h>
#include <botan/mac.h>

#include "store/token_hash.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace latchkey::mfa {
namespace {

TEST(RecoveryCodes, TenDistinctCodesOfTenBase32Letters) {
  const auto codes = new_recovery_codes();
  ASSERT_EQ(codes.size(), 10u);
  const std::regex form("[a-z2-7]{5}-[a-z2-7]{5}");
  for (const std::string& code : codes) {
    EXPECT_TRUE(std::regex_match(code, form)) << code;
    EXPECT_EQ(canonical_recovery_code(code), code);
  }
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), 10u);
  EXPECT_NE(new_recovery_codes(), codes);
}

TEST(RecoveryCodes, CaseHyphenAndSurroundingSpacesDoNotMatter) {
  EXPECT_EQ(canonical_recovery_code("abcde-fgh23"), "abcde-fgh23");
  EXPECT_EQ(canonical_recovery_code("ABCDE-FGH23"), "abcde-fgh23");
  EXPECT_EQ(canonical_recovery_code("abcdefgh23"), "abcde-fgh23");
  EXPECT_EQ(canonical_recovery_code("  abcde-fgh23 "), "abcde-fgh23");
}

TEST(RecoveryCodes, AnythingElseIsNoCode) {
  for (const char* bad : {"", "abcde-fgh2", "abcde-fgh234", "abcd-efgh23", "abcde-fgh18", "abcde--fgh23",
                          "abcde fgh23", "abcde-fgh2é", "123456", "abcde-fgh23-"}) {
    EXPECT_FALSE(canonical_recovery_code(bad)) << bad;
  }
}

// Keyed and per user: a table dump alone (no key) cannot be searched, and one search cannot serve
// every user; the value is a reproducible HMAC-SHA-256 over user id || 0x00 || code.
TEST(RecoveryCodes, StoredAsAKeyedHashThatNamesTheUser) {
  const auto key = RecoveryCodeKey::from_secret("an mfa encryption key of 32 bytes or more");
  const auto other_key = RecoveryCodeKey::from_secret("another mfa encryption key of 32 bytes");
  ASSERT_TRUE(key && other_key);
  const std::string hash = key->hash("user-1", "abcde-fgh23");
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(key->hash("user-1", "abcde-fgh23"), hash);
  EXPECT_NE(hash, store::hash_token("abcde-fgh23"));
  EXPECT_NE(key->hash("user-2", "abcde-fgh23"), hash);
  EXPECT_NE(other_key->hash("user-1", "abcde-fgh23"), hash);
  EXPECT_NE(key->hash("user-1a", "bcde-fgh23"), key->hash("user-1", "abcde-fgh23"));
  EXPECT_FALSE(RecoveryCodeKey::from_secret("too short"));

  // The same construction written out with Botan's HKDF and HMAC here.
  const auto hkdf = Botan::KDF::create_or_throw("HKDF(SHA-256)");
  const std::string secret = "an mfa encryption key of 32 bytes or more", salt = "latchkey recovery codes";
  const auto derived = hkdf->derive_key(32, reinterpret_cast<const uint8_t*>(secret.data()), secret.size(),
                                        reinterpret_cast<const uint8_t*>(salt.data()), salt.size());
  const auto hmac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
  hmac->set_key(derived);
  const std::string message = std::string("user-1") + '\0' + "abcde-fgh23";
  hmac->update(reinterpret_cast<const uint8_t*>(message.data()), message.size());
  EXPECT_EQ(Botan::hex_encode(hmac->final(), false), hash);
}

}  // namespace
}  // namespace latchkey::mfa
