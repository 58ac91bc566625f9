// build_snapshot: which stored keys sign, which verify, which are gone, and why loading fails.
#include "keys/key_snapshot.h"

#include "jwt/access_token.h"
#include "keys/new_signing_key.h"

#include <gtest/gtest.h>

namespace latchkey::keys {
namespace {

using namespace std::chrono_literals;

const KeyEncryption kEncryption = *KeyEncryption::from_secret("a key-encryption key of 32+ bytes, for tests only");
constexpr std::int64_t kNow = 1'800'000'000;

StoredKey key(jwt::Algorithm algorithm, KeyState state, std::optional<std::int64_t> retired_at = std::nullopt) {
  StoredKey row = generate_signing_key(algorithm, kEncryption, kNow - 3600);
  row.state = state;
  row.retired_at = retired_at;
  return row;
}

TEST(KeySnapshot, ActiveKeySignsAndEveryLiveKeyVerifies) {
  const std::vector<StoredKey> rows = {key(jwt::Algorithm::EdDSA, KeyState::active),
                                       key(jwt::Algorithm::ES256, KeyState::standby),
                                       key(jwt::Algorithm::HS256, KeyState::retired, kNow - 10)};
  const SnapshotResult result = build_snapshot(rows, kEncryption, kNow, 100s);
  ASSERT_TRUE(result.snapshot) << result.message;
  const jwt::KeySet& keys = result.snapshot->keys;
  ASSERT_NE(keys.signing_key(), nullptr);
  EXPECT_EQ(keys.signing_key()->kid(), rows[0].kid);
  EXPECT_EQ(keys.keys().size(), 3u);
  for (const StoredKey& row : rows) {
    const jwt::Key* found = keys.find(row.kid);
    ASSERT_NE(found, nullptr) << row.kid;
    EXPECT_EQ(jwt::algorithm_name(found->algorithm()), row.algorithm);
  }
  // The JWKS has the two public keys, never the HS256 secret.
  const std::string& jwks = result.snapshot->jwks_json;
  EXPECT_NE(jwks.find(rows[0].kid), std::string::npos);
  EXPECT_NE(jwks.find(rows[1].kid), std::string::npos);
  EXPECT_EQ(jwks.find(rows[2].kid), std::string::npos);
}

TEST(KeySnapshot, TokensSignedWithTheStoredKeyVerify) {
  const std::vector<StoredKey> rows = {key(jwt::Algorithm::ES256, KeyState::active)};
  const auto snapshot = build_snapshot(rows, kEncryption, kNow, 100s).snapshot;
  ASSERT_TRUE(snapshot);
  const auto now = std::chrono::sys_seconds(std::chrono::seconds(kNow));
  const auto issued = jwt::sign_access_token(snapshot->keys, {"u1", "a@b.c", {"user"}, "s1"}, {"iss", "aud", 60s}, now);
  jwt::AccessTokenCheck check{"iss", "aud", 0s, now, {}};
  EXPECT_EQ(jwt::verify_access_token(issued.token, snapshot->keys, check).error, jwt::AccessTokenError::none);
}

TEST(KeySnapshot, RetiredKeyLeavesOnceItsLastTokenExpired) {
  const std::vector<StoredKey> rows = {key(jwt::Algorithm::EdDSA, KeyState::active),
                                       key(jwt::Algorithm::EdDSA, KeyState::retired, kNow - 100)};
  EXPECT_NE(build_snapshot(rows, kEncryption, kNow, 101s).snapshot->keys.find(rows[1].kid), nullptr);
  EXPECT_EQ(build_snapshot(rows, kEncryption, kNow, 100s).snapshot->keys.find(rows[1].kid), nullptr);
}

TEST(KeySnapshot, WithoutAnActiveKeyNothingLoads) {
  const SnapshotResult result = build_snapshot({key(jwt::Algorithm::EdDSA, KeyState::standby)}, kEncryption, kNow, 0s);
  EXPECT_FALSE(result.snapshot);
  EXPECT_EQ(result.error, SnapshotError::no_active_key);
  EXPECT_NE(result.message.find("keys add"), std::string::npos) << result.message;
  EXPECT_NE(result.message.find("keys activate"), std::string::npos) << result.message;
  EXPECT_EQ(build_snapshot({}, kEncryption, kNow, 0s).error, SnapshotError::no_active_key);
}

TEST(KeySnapshot, WrongEncryptionKeyIsNamed) {
  const auto other = *KeyEncryption::from_secret("another key-encryption key, 32+ bytes");
  const std::vector<StoredKey> rows = {key(jwt::Algorithm::EdDSA, KeyState::active)};
  const SnapshotResult result = build_snapshot(rows, other, kNow, 0s);
  EXPECT_FALSE(result.snapshot);
  EXPECT_EQ(result.error, SnapshotError::cannot_decrypt);
  EXPECT_NE(result.message.find("tokens.key_encryption_key"), std::string::npos) << result.message;
}

TEST(KeySnapshot, CiphertextMovedToAnotherKidDoesNotLoad) {
  std::vector<StoredKey> rows = {key(jwt::Algorithm::EdDSA, KeyState::active),
                                 key(jwt::Algorithm::EdDSA, KeyState::standby)};
  rows[1].private_key_encrypted = rows[0].private_key_encrypted;
  EXPECT_EQ(build_snapshot(rows, kEncryption, kNow, 0s).error, SnapshotError::cannot_decrypt);
}

TEST(KeySnapshot, RowWhoseAlgorithmDoesNotMatchItsKeyIsRefused) {
  std::vector<StoredKey> rows = {key(jwt::Algorithm::EdDSA, KeyState::active)};
  rows[0].algorithm = "ES256";
  const SnapshotResult result = build_snapshot(rows, kEncryption, kNow, 0s);
  EXPECT_EQ(result.error, SnapshotError::bad_key);
  EXPECT_NE(result.message.find(rows[0].kid), std::string::npos);
}

TEST(NewSigningKey, GeneratesStandbyKeysWithTheirPublicPart) {
  const StoredKey ed = generate_signing_key(jwt::Algorithm::EdDSA, kEncryption, kNow);
  EXPECT_EQ(ed.state, KeyState::standby);
  EXPECT_EQ(ed.algorithm, "EdDSA");
  EXPECT_EQ(ed.created_at, kNow);
  ASSERT_TRUE(ed.public_key);
  EXPECT_EQ(ed.public_key->rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  const StoredKey hs = generate_signing_key(jwt::Algorithm::HS256, kEncryption, kNow);
  EXPECT_FALSE(hs.public_key) << "an HMAC secret has no public part";
  EXPECT_EQ(hs.kid.rfind("hs-", 0), 0u);
  EXPECT_EQ(ed.kid.rfind("ed-", 0), 0u) << "never a leading '-', which the CLI would take for an option";
  EXPECT_EQ(generate_signing_key(jwt::Algorithm::ES256, kEncryption, kNow).kid.rfind("es-", 0), 0u);
  EXPECT_NE(generate_signing_key(jwt::Algorithm::ES256, kEncryption, kNow).kid,
            generate_signing_key(jwt::Algorithm::ES256, kEncryption, kNow).kid);
}

}  // namespace
}  // namespace latchkey::keys
