// libsodium first, Botan where libsodium cannot (see argon2.h).
#include "password/argon2.h"

#include <cerrno>
#include <cstddef>
#include <new>
#include <stdexcept>

#include <botan/argon2.h>
#include <botan/system_rng.h>
#include <sodium.h>

namespace latchkey::password {

namespace {

constexpr std::uint8_t botan_argon2id = 2;  // Botan's `y` for Argon2id
constexpr std::size_t salt_bytes = 16;       // libsodium's crypto_pwhash_argon2id_SALTBYTES
constexpr std::size_t output_bytes = 32;     // what libsodium's _str functions write

static_assert(crypto_pwhash_argon2id_SALTBYTES == salt_bytes);

}  // namespace

void start_argon2() {
  if (sodium_init() < 0) throw std::runtime_error("password: libsodium cannot start");
}

std::string argon2id_generate(std::string_view password, const Parameters& parameters) {
  if (parameters.parallelism != 1) {
    return Botan::argon2_generate_pwhash(password.data(), password.size(), Botan::system_rng(),
                                         parameters.parallelism, parameters.memory_kib,
                                         parameters.iterations, botan_argon2id, salt_bytes, output_bytes);
  }
  char encoded[crypto_pwhash_argon2id_STRBYTES];
  // Parameters are within libsodium's bounds (is_supported); the one failure left is memory.
  if (crypto_pwhash_argon2id_str(encoded, password.data(), password.size(), parameters.iterations,
                                 static_cast<std::size_t>(parameters.memory_kib) * 1024) != 0) {
    throw std::bad_alloc();
  }
  return encoded;
}

bool argon2_check(std::string_view password, const std::string& encoded) {
  // libsodium sets EINVAL only when it computed the hash and it differs; any other failure (a
  // string it does not read, or no memory) leaves the answer to Botan, which throws on no memory.
  errno = 0;
  if (crypto_pwhash_argon2id_str_verify(encoded.c_str(), password.data(), password.size()) == 0) return true;
  if (errno == EINVAL) return false;
  return Botan::argon2_check_pwhash(password.data(), password.size(), encoded);
}

}  // namespace latchkey::password
