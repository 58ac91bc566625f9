// Recovery codes: ten distinct "xxxxx-xxxxx" codes; what a user may type; hashes only.
#include "mfa/recovery_codes.h"

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

TEST(RecoveryCodes, StoredAsTheSha256OfTheCanonicalForm) {
  EXPECT_EQ(recovery_code_hash("abcde-fgh23"), store::hash_token("abcde-fgh23"));
  EXPECT_EQ(recovery_code_hash("abcde-fgh23").size(), 64u);
}

}  // namespace
}  // namespace latchkey::mfa
