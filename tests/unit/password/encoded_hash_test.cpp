// Tests of password/encoded_hash.h: the PHC string is read strictly.
#include "password/encoded_hash.h"

#include <gtest/gtest.h>

namespace latchkey::password {
namespace {

// 16-byte salt, 32-byte hash, as Botan writes them.
constexpr std::string_view salt = "c29tZXNhbHRzb21lc2FsdA";
constexpr std::string_view tag = "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

std::string encoded(std::string_view head) {
  return std::string(head) + "$" + std::string(salt) + "$" + std::string(tag);
}

TEST(PasswordEncodedHash, ReadsAlgorithmParametersAndSizes) {
  const auto parsed = parse_encoded_hash(encoded("$argon2id$v=19$m=19456,t=2,p=1"));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->algorithm, "argon2id");
  EXPECT_EQ(parsed->parameters, (Parameters{19456, 2, 1}));
  EXPECT_EQ(parsed->salt_bytes, 16u);
  EXPECT_EQ(parsed->hash_bytes, 32u);
  EXPECT_TRUE(parse_encoded_hash(encoded("$argon2i$v=19$m=64,t=1,p=1")));
}

TEST(PasswordEncodedHash, RefusesMalformedStrings) {
  for (const std::string& bad : {
           std::string(""),
           std::string("argon2id$v=19$m=64,t=1,p=1$") + std::string(salt) + "$" + std::string(tag),
           encoded("$bcrypt$v=19$m=64,t=1,p=1"),
           encoded("$argon2id$v=16$m=64,t=1,p=1"),
           encoded("$argon2id$v=19$t=1,m=64,p=1"),
           encoded("$argon2id$v=19$m=64,t=1"),
           encoded("$argon2id$v=19$m=64,t=1,p=1,x=2"),
           encoded("$argon2id$v=19$m=-64,t=1,p=1"),
           encoded("$argon2id$v=19$m=064,t=1,p=1"),
           encoded("$argon2id$v=19$m=99999999999,t=1,p=1"),
           encoded("$argon2id$v=19$m=,t=1,p=1"),
           encoded("$argon2id$v=19$m=64,t=1,p=1") + "$extra",
           std::string("$argon2id$v=19$m=64,t=1,p=1$$") + std::string(tag),
           std::string("$argon2id$v=19$m=64,t=1,p=1$") + std::string(salt) + "$" + "c2FsdA==",
           std::string("$argon2id$v=19$m=64,t=1,p=1$") + std::string(salt) + "$" + "a*b!",
       }) {
    EXPECT_FALSE(parse_encoded_hash(bad)) << bad;
  }
}

TEST(PasswordEncodedHash, RefusesParametersThatWouldExhaustMemory) {
  EXPECT_FALSE(parse_encoded_hash(encoded("$argon2id$v=19$m=4294967295,t=1,p=1")));
  EXPECT_FALSE(parse_encoded_hash(encoded("$argon2id$v=19$m=64,t=0,p=1")));
  EXPECT_FALSE(parse_encoded_hash(encoded("$argon2id$v=19$m=64,t=1,p=0")));
}

}  // namespace
}  // namespace latchkey::password
