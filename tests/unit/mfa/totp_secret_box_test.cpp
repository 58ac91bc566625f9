// TOTP secrets at rest: AES-256-GCM bound to the user, the key from the config.
#include "mfa/totp_secret_box.h"

#include <gtest/gtest.h>

namespace latchkey::mfa {
namespace {

config::AuthConfig with_mfa_key(std::string key) {
  config::AuthConfig config;
  config.mfa.encryption_key = std::move(key);
  return config;
}

const Botan::secure_vector<uint8_t> kSecret = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};

TEST(TotpSecretBox, OpensWhatItSealedForTheSameUserOnly) {
  const auto box = TotpSecretBox::from_config(with_mfa_key(std::string(32, 'k')));
  ASSERT_TRUE(box);
  const std::string sealed = box->seal("user-1", kSecret);
  EXPECT_EQ(sealed.substr(0, 3), "v1.");
  EXPECT_EQ(box->open("user-1", sealed), kSecret);
  EXPECT_FALSE(box->open("user-2", sealed)) << "a secret copied onto another user's row";
  EXPECT_NE(box->seal("user-1", kSecret), sealed) << "a fresh nonce each time";
  std::string changed = sealed;
  changed[10] = changed[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box->open("user-1", changed));
}

TEST(TotpSecretBox, AnotherKeyDoesNotOpenIt) {
  const auto box = TotpSecretBox::from_config(with_mfa_key(std::string(32, 'k')));
  const auto other = TotpSecretBox::from_config(with_mfa_key(std::string(32, 'j')));
  ASSERT_TRUE(box && other);
  EXPECT_FALSE(other->open("user-1", box->seal("user-1", kSecret)));
}

TEST(TotpSecretBox, TheSigningKeysSecretIsUsedWhenSetInItsOwnDomain) {
  config::AuthConfig config = with_mfa_key(std::string(32, 'm'));
  config.tokens.key_encryption_key = std::string(32, 't');
  EXPECT_EQ(totp_encryption_secret(config), std::string(32, 't'));
  const auto box = TotpSecretBox::from_config(config);
  ASSERT_TRUE(box);
  const std::string sealed = box->seal("kid-or-user", kSecret);
  // The signing keys' encryption under the same secret cannot open it: another HKDF salt.
  const auto signing = keys::KeyEncryption::from_secret(std::string(32, 't'));
  ASSERT_TRUE(signing);
  EXPECT_FALSE(signing->decrypt("kid-or-user", sealed));
  EXPECT_FALSE(box->open("kid-or-user", signing->encrypt("kid-or-user", kSecret)));
}

TEST(TotpSecretBox, NoKeyOrAShortKeyMeansNoBox) {
  EXPECT_FALSE(TotpSecretBox::from_config(config::AuthConfig{}));
  EXPECT_FALSE(TotpSecretBox::from_config(with_mfa_key(std::string(31, 'k'))));
}

}  // namespace
}  // namespace latchkey::mfa
