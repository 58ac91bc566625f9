// The Argon2 computations behind Hasher. libsodium's Argon2id wherever its API reaches: its block
// fill uses SSSE3, AVX2 or AVX-512 when the CPU has them, and takes 0.4 × the CPU of Botan 2.19's
// portable one here, which is most of what a login costs. Botan for the rest: hashing with more
// than one lane (libsodium hashes one), and stored strings libsodium does not read (argon2i,
// argon2d, outputs under 16 bytes). Both write and read the same PHC strings.
#pragma once

#include <string>
#include <string_view>

#include "password/parameters.h"

namespace latchkey::password {

// Starts libsodium (its CPU feature checks); throws std::runtime_error when it cannot. Thread-safe,
// and cheap after the first call.
void start_argon2();

// "$argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>": a fresh 16-byte salt from the system's random
// source, a 32-byte output. Throws std::bad_alloc when the memory cannot be had.
std::string argon2id_generate(std::string_view password, const Parameters& parameters);

// Whether password matches encoded (a string parse_encoded_hash accepts), compared in constant
// time. Throws std::bad_alloc when the memory cannot be had.
bool argon2_check(std::string_view password, const std::string& encoded);

}  // namespace latchkey::password
