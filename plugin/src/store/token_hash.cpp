// SHA-256 token hashes, random ids and a constant-time compare, on Botan.
#include "store/token_hash.h"

#include <botan/hash.h>
#include <botan/hex.h>
#include <botan/mem_ops.h>
#include <botan/system_rng.h>

namespace latchkey::store {

std::string hash_token(std::string_view token) {
    auto sha256 = Botan::HashFunction::create_or_throw("SHA-256");
    sha256->update(reinterpret_cast<const uint8_t*>(token.data()), token.size());
    return Botan::hex_encode(sha256->final(), false);
}

std::string random_hex(std::size_t bytes) {
    return Botan::hex_encode(Botan::system_rng().random_vec(bytes), false);
}

std::string new_id() { return random_hex(16); }

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;  // lengths of hashes are public
    return Botan::constant_time_compare(reinterpret_cast<const uint8_t*>(a.data()),
                                        reinterpret_cast<const uint8_t*>(b.data()), a.size());
}

}  // namespace latchkey::store
