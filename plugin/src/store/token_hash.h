// What the store keeps instead of secrets: SHA-256 hashes of opaque tokens, and random ids.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace latchkey::store {

// Lowercase hex SHA-256 of a token's bytes (64 characters): the form refresh and one-time tokens
// are stored and looked up in. Callers hash; the stores only ever see hashes.
std::string hash_token(std::string_view token);

// `bytes` random bytes from the system RNG as lowercase hex. new_id() = 128 bits (32 characters).
std::string random_hex(std::size_t bytes);
std::string new_id();

// Compares without an early exit, for hashes and MACs compared in code.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace latchkey::store
