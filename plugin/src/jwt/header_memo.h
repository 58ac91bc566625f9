// Per-thread memory of JOSE header segments seen in tokens whose signature verified, with what
// checking them found: a later token whose header segment is the same bytes skips decoding and
// parsing it. Every token of one signing key carries the same header segment, so this turns the
// header's base64url and JSON into one comparison on the hot path.
//
// What is remembered depends on the header bytes alone (and the depth limit they were parsed
// under), never on a key set: the caller still looks the kid up in its own key set and matches
// alg to the key on every token, so a key that left the set, or a set that changed, is refused
// exactly as without the memory.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "jwt/algorithm.h"

namespace latchkey::jwt {

// What the key-independent header checks of verify_jws found in a header that passed them.
struct HeaderFacts {
  Algorithm algorithm = Algorithm::HS256;
  std::string kid;                 // non-empty
  std::optional<std::string> typ;  // absent, or the string it was
};

// The facts remembered on this thread for exactly `segment` parsed under `max_json_depth`, or
// null. The pointer is valid until the next remember_header on this thread.
const HeaderFacts* remembered_header(std::string_view segment, std::size_t max_json_depth);

// Remembers `facts` for `segment`; call only once the token's signature verified, so what fills
// the memory was signed by a key the caller holds. Long segments are not remembered; when full,
// the oldest entry goes.
void remember_header(std::string_view segment, std::size_t max_json_depth, const HeaderFacts& facts);

}  // namespace latchkey::jwt
