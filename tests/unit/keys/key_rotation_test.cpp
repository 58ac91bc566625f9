// KeyRotation and SigningKeyStore on each backend: add, activate (the previous key retires in the
// same change), retire, the refusals, one active key at most, nothing stored in clear.
#include "keys/key_rotation.h"

#include "keys/key_snapshot.h"
#include "test_database.h"

#include <botan/base64.h>
#include <botan/hex.h>

#include <algorithm>
#include <thread>

namespace latchkey::keys {
namespace {

using store::Backend;
using store::testing::StoreTest;

const std::string kSecret = "a key-encryption key of 32+ bytes, for tests only";

class KeyRotationTest : public StoreTest {
 protected:
  KeyRotation rotation(const std::string& secret = kSecret) {
    return KeyRotation(db(), *KeyEncryption::from_secret(secret), [this] { return ++clock_; });
  }
  StoredKey stored(const std::string& kid) { return *SigningKeyStore(db()).find(kid); }
  std::int64_t clock_ = 1000;
};

std::string add(KeyRotation rotation, jwt::Algorithm algorithm) {
  const RotationResult added = rotation.add(algorithm);
  EXPECT_TRUE(added.ok()) << added.error;
  return added.kid;
}

TEST_P(KeyRotationTest, AddedKeyIsStandby) {
  const std::string kid = add(rotation(), jwt::Algorithm::EdDSA);
  const StoredKey key = stored(kid);
  EXPECT_EQ(key.state, KeyState::standby);
  EXPECT_EQ(key.algorithm, "EdDSA");
  EXPECT_EQ(key.created_at, 1001);
  EXPECT_FALSE(key.activated_at);
  EXPECT_FALSE(key.retired_at);
  ASSERT_EQ(rotation().list().size(), 1u);
}

TEST_P(KeyRotationTest, ActivateRetiresThePreviousActiveKey) {
  const std::string first = add(rotation(), jwt::Algorithm::EdDSA);
  const std::string second = add(rotation(), jwt::Algorithm::ES256);
  ASSERT_TRUE(rotation().activate(first).ok());
  EXPECT_EQ(stored(first).state, KeyState::active);
  EXPECT_EQ(stored(second).state, KeyState::standby);
  ASSERT_TRUE(rotation().activate(second).ok());
  EXPECT_EQ(stored(second).state, KeyState::active);
  EXPECT_TRUE(stored(second).activated_at);
  EXPECT_EQ(stored(first).state, KeyState::retired);
  EXPECT_EQ(stored(first).retired_at, stored(second).activated_at) << "one change, one time";
}

TEST_P(KeyRotationTest, RefusalsChangeNothing) {
  const std::string active = add(rotation(), jwt::Algorithm::HS256);
  const std::string standby = add(rotation(), jwt::Algorithm::EdDSA);
  ASSERT_TRUE(rotation().activate(active).ok());
  EXPECT_NE(rotation().activate("no-such-kid").error.find("no signing key with kid no-such-kid"), std::string::npos);
  EXPECT_NE(rotation().retire("no-such-kid").error.find("no signing key"), std::string::npos);
  EXPECT_NE(rotation().activate(active).error.find("already active"), std::string::npos);
  EXPECT_NE(rotation().retire(active).error.find("is the active key"), std::string::npos);
  EXPECT_EQ(stored(active).state, KeyState::active);

  ASSERT_TRUE(rotation().retire(standby).ok());
  EXPECT_EQ(stored(standby).state, KeyState::retired);
  EXPECT_NE(rotation().activate(standby).error.find("retired"), std::string::npos);
  EXPECT_NE(rotation().retire(standby).error.find("retired"), std::string::npos);
  EXPECT_EQ(stored(active).state, KeyState::active) << "a refused activation retires nothing";
}

TEST_P(KeyRotationTest, AnotherEncryptionKeyChangesNothing) {
  const std::string kid = add(rotation(), jwt::Algorithm::EdDSA);
  const std::string other = "another key-encryption key, 32+ bytes long";
  const RotationResult added = rotation(other).add(jwt::Algorithm::EdDSA);
  EXPECT_FALSE(added.ok());
  EXPECT_NE(added.error.find("tokens.key_encryption_key"), std::string::npos) << added.error;
  EXPECT_FALSE(rotation(other).activate(kid).ok());
  EXPECT_EQ(rotation().list().size(), 1u);
  EXPECT_EQ(stored(kid).state, KeyState::standby);
}

TEST_P(KeyRotationTest, DatabaseAllowsOneActiveKeyAtMost) {
  const std::string first = add(rotation(), jwt::Algorithm::EdDSA);
  const std::string second = add(rotation(), jwt::Algorithm::EdDSA);
  ASSERT_TRUE(rotation().activate(first).ok());
  SigningKeyStore store(db());
  EXPECT_ANY_THROW(db().transaction([&] { store.activate(second, 5000); }))
      << "activating without retiring the active key first must fail";
  EXPECT_EQ(stored(second).state, KeyState::standby);
}

TEST_P(KeyRotationTest, ConcurrentActivationsLeaveExactlyOneActiveKey) {
  ASSERT_TRUE(rotation().activate(add(rotation(), jwt::Algorithm::EdDSA)).ok());
  std::vector<std::string> kids;
  for (int i = 0; i < 4; ++i) kids.push_back(add(rotation(), jwt::Algorithm::EdDSA));
  std::vector<RotationResult> results(kids.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < kids.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = KeyRotation(db(), *KeyEncryption::from_secret(kSecret), [] { return 5000; }).activate(kids[i]); });
  }
  for (auto& thread : threads) thread.join();
  const auto keys = rotation().list();
  EXPECT_EQ(std::count_if(keys.begin(), keys.end(), [](const StoredKey& k) { return k.state == KeyState::active; }), 1);
  int succeeded = 0;
  for (const RotationResult& result : results) {
    if (result.ok()) ++succeeded;
    else EXPECT_TRUE(result.error.find("at the same time") != std::string::npos ||
                     result.error.find("meanwhile") != std::string::npos) << result.error;
  }
  EXPECT_GE(succeeded, 1);
}

TEST_P(KeyRotationTest, PrivatePartIsNotReadableInTheRow) {
  const std::string kid = add(rotation(), jwt::Algorithm::HS256);
  const StoredKey row = stored(kid);
  const auto plaintext = KeyEncryption::from_secret(kSecret)->decrypt(kid, row.private_key_encrypted);
  ASSERT_TRUE(plaintext);
  const std::string raw(plaintext->begin(), plaintext->end());
  for (const std::string& encoding : {raw, Botan::hex_encode(*plaintext, true), Botan::hex_encode(*plaintext, false),
                                      Botan::base64_encode(*plaintext)}) {
    for (const std::string& column : {row.private_key_encrypted, row.public_key.value_or(""), row.kid}) {
      EXPECT_EQ(column.find(encoding), std::string::npos);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, KeyRotationTest,
                         ::testing::Values(Backend::sqlite, Backend::postgresql, Backend::mysql),
                         store::testing::backend_param_name);

}  // namespace
}  // namespace latchkey::keys
