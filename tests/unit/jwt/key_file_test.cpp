// Regression test of plugin/src/jwt/key.cpp from the fuzz target auth_config (tests/fuzz): a key
// file that never ends (private_key_file: "/dev/zero") ran the process out of memory.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "jwt/key.h"

namespace latchkey::jwt {
namespace {

TEST(KeyFile, EndlessFileIsRefusedWithBoundedMemory) {
  const KeyResult result = Key::from_private_pem_file("/dev/zero");
  EXPECT_FALSE(result.key);
  EXPECT_EQ(result.error, "cannot read key file /dev/zero (or it is over 64 KiB)");
  EXPECT_FALSE(Key::from_public_pem_file("/dev/zero").key);
}

TEST(KeyFile, FileOverTheLimitIsRefusedAndAKeyUnderItLoads) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() / "latchkey-key-file-test.pem";
  const std::string pem = *generate_private_key_pem(Algorithm::EdDSA);
  std::ofstream(path, std::ios::binary) << pem;
  EXPECT_TRUE(Key::from_private_pem_file(path.string()).key);
  std::ofstream(path, std::ios::binary) << pem << std::string(64 * 1024, '\n');
  EXPECT_FALSE(Key::from_private_pem_file(path.string()).key);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace latchkey::jwt
