// Strict, bounded CBOR reading with libcbor for what authenticators send (attestation objects, COSE
// keys, extension maps). Every header is checked with libcbor's streaming decoder before cbor_load
// builds anything, so a declared length can never make it allocate more than the input justifies.
#pragma once

#include <cbor.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace latchkey::webauthn {

inline constexpr std::size_t kMaxCborBytes = 64 * 1024;  // an attestation object with a certificate chain fits
inline constexpr std::size_t kMaxCborDepth = 16;         // nested arrays and maps, the outermost counting 1

struct CborRelease {
  void operator()(cbor_item_t* item) const;
};
using CborItem = std::unique_ptr<cbor_item_t, CborRelease>;

// The first CBOR data item of `bytes` and how many bytes it took, nullopt unless it is well formed
// and within the limits: definite lengths only, every declared length or count no larger than the
// bytes left, nesting at most kMaxCborDepth, the item at most kMaxCborBytes; no tags, floats,
// `undefined` or simple values other than true, false and null (CTAP2's canonical form has none).
// Bytes after the item are not looked at.
struct CborPrefix {
  CborItem item;
  std::size_t length = 0;
};
std::optional<CborPrefix> read_cbor_prefix(std::string_view bytes);

// Exactly one item, as above, with nothing after it.
CborItem read_cbor(std::string_view bytes);

// Reading values out of a decoded item; each returns nullopt or nullptr for an item of another type.
std::optional<int64_t> cbor_integer(const cbor_item_t* item);  // uint or negint within int64_t
std::optional<std::string_view> cbor_bytes(const cbor_item_t* item);
std::optional<std::string_view> cbor_text(const cbor_item_t* item);

// A map whose keys are integers or text strings, each once: the maps WebAuthn defines. False for
// anything else (another key type, a key twice).
bool is_map_with_unique_keys(const cbor_item_t* item);

// The value under an integer or text key of a map, nullptr when absent (or `map` is not a map).
const cbor_item_t* cbor_map_value(const cbor_item_t* map, int64_t key);
const cbor_item_t* cbor_map_value(const cbor_item_t* map, std::string_view key);

}  // namespace latchkey::webauthn
