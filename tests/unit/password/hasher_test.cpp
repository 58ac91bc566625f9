// Tests of password/hasher.h: Argon2id round trips, unique salts, dummy verification, rehash.
#include "password/hasher.h"

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "test_parameters.h"

namespace latchkey::password {
namespace {

using testing::fast_parameters;

TEST(PasswordHasher, VerifiesTheHashedPassword) {
  const Hasher hasher(fast_parameters, 2);
  const auto encoded = hasher.hash("correct horse battery staple");
  EXPECT_TRUE(hasher.verify("correct horse battery staple", encoded));
}

TEST(PasswordHasher, WrongPasswordFails) {
  const Hasher hasher(fast_parameters, 2);
  const auto encoded = hasher.hash("correct horse battery staple");
  EXPECT_FALSE(hasher.verify("correct horse battery stapler", encoded));
  EXPECT_FALSE(hasher.verify("Correct horse battery staple", encoded));
  EXPECT_FALSE(hasher.verify("", encoded));
}

TEST(PasswordHasher, TwoHashesOfOnePasswordDifferByTheirSalt) {
  const Hasher hasher(fast_parameters, 2);
  const auto first = hasher.hash("same password");
  const auto second = hasher.hash("same password");
  EXPECT_NE(first, second);
  EXPECT_NE(first.substr(0, first.rfind('$')), second.substr(0, second.rfind('$')));
  EXPECT_TRUE(hasher.verify("same password", first));
  EXPECT_TRUE(hasher.verify("same password", second));
}

TEST(PasswordHasher, DefaultParametersProduceOwaspArgon2idString) {
  const Hasher hasher;
  const auto encoded = hasher.hash("correct horse battery staple");
  EXPECT_EQ(encoded.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << encoded;
  EXPECT_TRUE(hasher.verify("correct horse battery staple", encoded));
  EXPECT_FALSE(hasher.needs_rehash(encoded));
}

TEST(PasswordHasher, HashesUnicodeAndSpacesWithoutTruncation) {
  const Hasher hasher(fast_parameters, 2);
  const std::string long_password(200, 'x');
  const auto encoded = hasher.hash(long_password + "\xF0\x9F\x94\x91 end");
  EXPECT_TRUE(hasher.verify(long_password + "\xF0\x9F\x94\x91 end", encoded));
  // A password sharing the first 72 bytes (bcrypt's limit) must not match.
  EXPECT_FALSE(hasher.verify(long_password, encoded));
}

TEST(PasswordHasher, VerifyDummyReturnsFalseAndCostsOneComputation) {
  const Hasher hasher(fast_parameters, 2);
  const auto before = hasher.stats().computations;
  EXPECT_FALSE(hasher.verify_dummy("any password"));
  EXPECT_FALSE(hasher.verify_dummy(""));
  EXPECT_EQ(hasher.stats().computations, before + 2);
}

TEST(PasswordHasher, VerifyCostsOneComputationLikeVerifyDummy) {
  const Hasher hasher(fast_parameters, 2);
  const auto encoded = hasher.hash("a password");
  const auto before = hasher.stats().computations;
  EXPECT_TRUE(hasher.verify("a password", encoded));
  EXPECT_EQ(hasher.stats().computations, before + 1);
}

TEST(PasswordHasher, MalformedStoredHashIsNoMatchAndStillCostsAComputation) {
  const Hasher hasher(fast_parameters, 2);
  const auto before = hasher.stats().computations;
  EXPECT_FALSE(hasher.verify("a password", "not a hash"));
  EXPECT_FALSE(hasher.verify("a password", "$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHQ$aGFzaA"));
  EXPECT_EQ(hasher.stats().computations, before + 2);
}

TEST(PasswordHasher, NeedsRehashWhenParametersOrAlgorithmDiffer) {
  const Hasher current(fast_parameters, 1);
  const Hasher older(Parameters{32, 1, 1}, 1);
  const auto encoded = older.hash("a password");
  EXPECT_FALSE(older.needs_rehash(encoded));
  EXPECT_TRUE(current.needs_rehash(encoded));
  EXPECT_TRUE(current.verify("a password", encoded));  // old hashes keep working
  EXPECT_TRUE(current.needs_rehash("not a hash"));
  EXPECT_TRUE(current.needs_rehash(
      "$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"));
}

TEST(PasswordHasher, RefusesUnsupportedConfiguration) {
  EXPECT_THROW(Hasher(Parameters{64, 0, 1}, 1), std::invalid_argument);
  EXPECT_THROW(Hasher(fast_parameters, 0), std::invalid_argument);
}

TEST(PasswordHasher, DefaultConcurrencyIsTheNumberOfCores) {
  EXPECT_GE(default_max_concurrent(), 1u);
  const Hasher hasher(fast_parameters);
  EXPECT_EQ(hasher.max_concurrent(), default_max_concurrent());
}

}  // namespace
}  // namespace latchkey::password
