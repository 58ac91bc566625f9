// Tests of password/argon2.h: libsodium and Botan read each other's strings, so hashes stored
// before libsodium came (Botan's) keep verifying, and what Botan alone reads still verifies.
#include "password/argon2.h"

#include <string>

#include <botan/argon2.h>
#include <botan/system_rng.h>
#include <gtest/gtest.h>

#include "password/encoded_hash.h"
#include "password/hasher.h"
#include "test_parameters.h"

namespace latchkey::password {
namespace {

using testing::fast_parameters;

// Botan's own string, as Hasher wrote them before: y is 0 (argon2d), 1 (argon2i) or 2 (argon2id).
std::string botan_hash(const std::string& password, const Parameters& p, std::uint8_t y = 2,
                       std::size_t output_bytes = 32) {
  return Botan::argon2_generate_pwhash(password.data(), password.size(), Botan::system_rng(), p.parallelism,
                                       p.memory_kib, p.iterations, y, 16, output_bytes);
}

bool botan_check(const std::string& password, const std::string& encoded) {
  return Botan::argon2_check_pwhash(password.data(), password.size(), encoded);
}

class Argon2 : public ::testing::Test {
 protected:
  void SetUp() override { start_argon2(); }
};

TEST_F(Argon2, TheReferenceImplementationsVectorVerifies) {
  // The argon2 reference implementation's test vector (argon2id, m=2^16 KiB, t=2, p=1).
  const std::string encoded = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
  EXPECT_TRUE(argon2_check("password", encoded));
  EXPECT_FALSE(argon2_check("passwore", encoded));
  EXPECT_TRUE(botan_check("password", encoded));
}

TEST_F(Argon2, OneLaneHashesAreArgon2idStringsBotanVerifies) {
  const std::string encoded = argon2id_generate("correct horse battery staple", fast_parameters);
  EXPECT_EQ(encoded.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0u) << encoded;
  const auto parsed = parse_encoded_hash(encoded);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->salt_bytes, 16u);
  EXPECT_EQ(parsed->hash_bytes, 32u);
  EXPECT_TRUE(botan_check("correct horse battery staple", encoded));
  EXPECT_FALSE(botan_check("correct horse battery stapler", encoded));
}

TEST_F(Argon2, SeveralLanesAreHashedAndVerified) {
  const Parameters two_lanes{64, 1, 2};
  const std::string encoded = argon2id_generate("a password", two_lanes);
  EXPECT_EQ(encoded.rfind("$argon2id$v=19$m=64,t=1,p=2$", 0), 0u) << encoded;
  EXPECT_TRUE(argon2_check("a password", encoded));
  EXPECT_FALSE(argon2_check("a passworD", encoded));
}

TEST_F(Argon2, HashesStoredByBotanStillVerify) {
  for (const Parameters& p : {fast_parameters, Parameters{64, 2, 2}, Parameters{100, 3, 3}}) {
    const std::string encoded = botan_hash("stored before", p);
    EXPECT_TRUE(argon2_check("stored before", encoded)) << encoded;
    EXPECT_FALSE(argon2_check("stored befor", encoded)) << encoded;
    EXPECT_FALSE(argon2_check("", encoded)) << encoded;
  }
}

TEST_F(Argon2, StringsOnlyBotanReadsStillVerify) {
  // argon2i and argon2d, and an argon2id output of 8 bytes: libsodium refuses each.
  for (const std::string& encoded : {botan_hash("legacy", fast_parameters, 1), botan_hash("legacy", fast_parameters, 0),
                                     botan_hash("legacy", fast_parameters, 2, 8)}) {
    ASSERT_TRUE(parse_encoded_hash(encoded)) << encoded;
    EXPECT_TRUE(argon2_check("legacy", encoded)) << encoded;
    EXPECT_FALSE(argon2_check("legacY", encoded)) << encoded;
  }
}

TEST_F(Argon2, PasswordsWithNulBytesAreHashedWhole) {
  const std::string with_nul("abc\0def", 7);
  const std::string encoded = argon2id_generate(with_nul, fast_parameters);
  EXPECT_TRUE(argon2_check(with_nul, encoded));
  EXPECT_FALSE(argon2_check("abc", encoded));
  EXPECT_TRUE(botan_check(with_nul, encoded));
}

TEST_F(Argon2, HasherVerifiesWhatBotanStoredAndNeedsNoRehashForIt) {
  const Hasher hasher(fast_parameters, 1);
  const std::string encoded = botan_hash("migrated", fast_parameters);
  EXPECT_TRUE(hasher.verify("migrated", encoded));
  EXPECT_FALSE(hasher.needs_rehash(encoded));
}

}  // namespace
}  // namespace latchkey::password
