// Any bytes as the CBOR an authenticator sends (plugin/src/webauthn/cbor_reader.cpp): an item read
// is within the limits, reads again alone, serialises with libcbor and reads back; nothing read
// allocates beyond what the input justifies (a lying length is refused before cbor_load).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "webauthn/cbor_reader.h"

using namespace latchkey::webauthn;

namespace {

// Walks every value the ceremonies could ask for, so the accessors run on whatever was read.
// `depth` counts the arrays and maps around `item`, itself included.
void touch(const cbor_item_t* item, int depth) {
  const bool container = cbor_isa_array(item) || cbor_isa_map(item);
  if (container && depth > static_cast<int>(kMaxCborDepth)) std::abort();  // the reader let a deeper one through
  (void)cbor_integer(item);
  (void)cbor_bytes(item);
  (void)cbor_text(item);
  if (cbor_isa_array(item)) {
    for (std::size_t i = 0; i < cbor_array_size(item); ++i) touch(cbor_array_handle(item)[i], depth + 1);
  } else if (cbor_isa_map(item)) {
    (void)is_map_with_unique_keys(item);
    (void)cbor_map_value(item, int64_t{3});
    (void)cbor_map_value(item, std::string_view("fmt"));
    for (std::size_t i = 0; i < cbor_map_size(item); ++i) {
      touch(cbor_map_handle(item)[i].key, depth + 1);
      touch(cbor_map_handle(item)[i].value, depth + 1);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::optional<CborPrefix> prefix = read_cbor_prefix(bytes);
  const CborItem whole = read_cbor(bytes);
  if (!prefix) {
    if (whole) std::abort();  // one item alone is also a prefix
    return 0;
  }
  if (prefix->length == 0 || prefix->length > size || prefix->length > kMaxCborBytes) std::abort();
  if (static_cast<bool>(whole) != (prefix->length == size)) std::abort();
  if (!read_cbor(bytes.substr(0, prefix->length))) std::abort();
  touch(prefix->item.get(), 1);

  // libcbor writes what it read; that reads back (shortest lengths, same structure).
  unsigned char* buffer = nullptr;
  std::size_t capacity = 0;
  const std::size_t length = cbor_serialize_alloc(prefix->item.get(), &buffer, &capacity);
  if (length == 0 || length > prefix->length) std::abort();
  const CborItem again = read_cbor(std::string_view(reinterpret_cast<const char*>(buffer), length));
  std::free(buffer);
  if (!again) std::abort();
  return 0;
}
