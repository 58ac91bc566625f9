// KeyEncryption: AES-256-GCM round trip, and every way a ciphertext must refuse to open.
#include "keys/key_encryption.h"

#include <botan/base64.h>
#include <gtest/gtest.h>

namespace latchkey::keys {
namespace {

const std::string kSecret = "a key-encryption key of 32+ bytes, for tests only";

Botan::secure_vector<std::uint8_t> bytes(std::string_view text) { return {text.begin(), text.end()}; }

KeyEncryption encryption(const std::string& secret = kSecret) { return *KeyEncryption::from_secret(secret); }

TEST(KeyEncryption, RoundTripGivesThePlaintextBack) {
  const auto plaintext = bytes("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI...\n-----END PRIVATE KEY-----\n");
  const std::string sealed = encryption().encrypt("kid-1", plaintext);
  const auto opened = encryption().decrypt("kid-1", sealed);
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, plaintext);
}

TEST(KeyEncryption, CiphertextShowsNothingOfThePlaintextAndNeverRepeats) {
  const auto plaintext = bytes("the same private key twice");
  const std::string first = encryption().encrypt("kid-1", plaintext);
  const std::string second = encryption().encrypt("kid-1", plaintext);
  EXPECT_NE(first, second) << "a fresh nonce each time";
  EXPECT_EQ(first.rfind("v1.", 0), 0u);
  for (const std::string& sealed : {first, second}) {
    EXPECT_EQ(sealed.find("private"), std::string::npos);
    EXPECT_EQ(sealed.find(Botan::base64_encode(plaintext)), std::string::npos);
  }
}

TEST(KeyEncryption, AnotherEncryptionKeyDoesNotDecrypt) {
  const std::string sealed = encryption().encrypt("kid-1", bytes("secret"));
  EXPECT_FALSE(encryption("another key-encryption key of 32+ bytes").decrypt("kid-1", sealed));
}

TEST(KeyEncryption, KidIsBoundAsAssociatedData) {
  const std::string sealed = encryption().encrypt("kid-1", bytes("secret"));
  EXPECT_FALSE(encryption().decrypt("kid-2", sealed)) << "a ciphertext copied onto another row must not open";
  EXPECT_FALSE(encryption().decrypt("", sealed));
  EXPECT_TRUE(encryption().decrypt("kid-1", sealed));
}

TEST(KeyEncryption, EveryTamperedByteIsRefused) {
  const std::string sealed = encryption().encrypt("kid-1", bytes("secret bytes"));
  const auto raw = Botan::base64_decode(sealed.substr(3));
  for (std::size_t i = 0; i < raw.size(); ++i) {
    auto changed = raw;
    changed[i] ^= 0x01;
    EXPECT_FALSE(encryption().decrypt("kid-1", "v1." + Botan::base64_encode(changed))) << "byte " << i;
  }
  auto truncated = raw;
  truncated.pop_back();
  EXPECT_FALSE(encryption().decrypt("kid-1", "v1." + Botan::base64_encode(truncated)));
}

TEST(KeyEncryption, MalformedTextIsRefusedWithoutThrowing) {
  for (const std::string text : {"", "v1.", "v2.AAAA", "v1.!!!not base64!!!", "v1.AAAA", "plain text"}) {
    EXPECT_FALSE(encryption().decrypt("kid-1", text)) << text;
  }
}

TEST(KeyEncryption, SecretShorterThan32BytesIsRefused) {
  EXPECT_FALSE(KeyEncryption::from_secret(std::string(31, 'k')));
  EXPECT_TRUE(KeyEncryption::from_secret(std::string(32, 'k')));
}

TEST(KeyEncryption, SimilarSecretsGiveUnrelatedKeys) {
  const std::string sealed = encryption(std::string(32, 'k')).encrypt("kid", bytes("x"));
  EXPECT_FALSE(encryption(std::string(32, 'k') + "k").decrypt("kid", sealed));
}

}  // namespace
}  // namespace latchkey::keys
