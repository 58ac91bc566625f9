// Reading the stored form of a hash, "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" (the PHC
// string format Botan writes), so we can check it before verifying and tell when it needs a rehash.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "password/parameters.h"

namespace latchkey::password {

struct EncodedHash {
  std::string algorithm;  // "argon2id", "argon2i" or "argon2d"
  Parameters parameters;
  std::size_t salt_bytes = 0;
  std::size_t hash_bytes = 0;
};

// The fields of `encoded`, or nullopt unless it is a well-formed Argon2 v=19 string with
// supported parameters (is_supported), unpadded base64 salt of 8..64 bytes and hash of 4..64 bytes.
std::optional<EncodedHash> parse_encoded_hash(std::string_view encoded);

}  // namespace latchkey::password
