// Argon2id hashing (password/argon2.h), behind a concurrency limit (see hasher.h).
#include "password/hasher.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <thread>

#include <botan/system_rng.h>

#include "password/argon2.h"
#include "password/encoded_hash.h"

namespace latchkey::password {

namespace {

constexpr std::size_t salt_bytes = 16;  // what argon2id_generate writes
constexpr std::size_t output_bytes = 32;

// libsodium starts before the dummy hash is made (a member initialiser).
Parameters started(const Parameters& parameters) {
  start_argon2();
  return parameters;
}

// A password nobody knows, so that the dummy hash can never be matched.
std::string random_password() {
  std::array<std::uint8_t, 32> bytes{};
  Botan::system_rng().randomize(bytes.data(), bytes.size());
  return std::string(bytes.begin(), bytes.end());
}

Parameters checked(const Parameters& parameters) {
  if (!is_supported(parameters))
    throw std::invalid_argument("password: unsupported Argon2 parameters");
  return parameters;
}

unsigned checked_slots(unsigned max_concurrent) {
  if (max_concurrent == 0) throw std::invalid_argument("password: max_concurrent must be >= 1");
  return max_concurrent;
}

}  // namespace

unsigned default_max_concurrent() { return std::max(1u, std::thread::hardware_concurrency()); }

Hasher::Hasher(Parameters parameters, unsigned max_concurrent)
    : parameters_(started(checked(parameters))),
      limit_(checked_slots(max_concurrent)),
      dummy_hash_(argon2id_generate(random_password(), parameters_)) {}

std::string Hasher::hash(std::string_view password) const {
  std::string encoded;
  compute([&] { encoded = argon2id_generate(password, parameters_); });
  return encoded;
}

bool Hasher::verify(std::string_view password, std::string_view encoded) const {
  // Parsed first so that neither library sees parameters we would not accept (Botan's parser
  // throws on some malformed input; both would allocate whatever memory a stored string asks for).
  if (!parse_encoded_hash(encoded)) return verify_dummy(password);
  return check(password, std::string(encoded));
}

bool Hasher::verify_dummy(std::string_view password) const {
  (void)check(password, dummy_hash_);
  return false;
}

bool Hasher::check(std::string_view password, const std::string& encoded) const {
  bool matches = false;
  compute([&] { matches = argon2_check(password, encoded); });
  return matches;
}

void Hasher::compute(const std::function<void()>& argon2) const {
  // The slot is taken where the computation runs: it bounds the Argon2 memory in use at once.
  auto bounded = [&] {
    const auto slot = limit_.acquire();
    ++computations_;
    argon2();
  };
  if (runner_) runner_(bounded);
  else bounded();
}

bool Hasher::needs_rehash(std::string_view encoded) const {
  const auto stored = parse_encoded_hash(encoded);
  return !stored || stored->algorithm != "argon2id" || stored->parameters != parameters_ ||
         stored->salt_bytes != salt_bytes || stored->hash_bytes != output_bytes;
}

HasherStats Hasher::stats() const { return {computations_.load(), limit_.peak_in_flight()}; }

}  // namespace latchkey::password
