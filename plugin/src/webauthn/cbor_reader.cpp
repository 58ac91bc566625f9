// Two passes: libcbor's streaming decoder walks the headers (it allocates nothing) and checks every
// length against the bytes left, the depth and the total size; only then does cbor_load build the
// tree, from exactly the bytes the walk measured.
#include "webauthn/cbor_reader.h"

#include <algorithm>
#include <variant>
#include <vector>

namespace latchkey::webauthn {
namespace {

// What the streaming decoder saw in one header.
struct Header {
  enum class Kind { scalar, array, map, refused } kind = Kind::refused;
  uint64_t count = 0;  // children of an array, pairs of a map
};

Header& header_of(void* context) { return *static_cast<Header*>(context); }
void scalar(void* context) { header_of(context) = {Header::Kind::scalar, 0}; }
void refuse(void* context) { header_of(context) = {Header::Kind::refused, 0}; }
void on_uint8(void* c, uint8_t) { scalar(c); }
void on_uint16(void* c, uint16_t) { scalar(c); }
void on_uint32(void* c, uint32_t) { scalar(c); }
void on_uint64(void* c, uint64_t) { scalar(c); }
void on_string(void* c, cbor_data, size_t) { scalar(c); }
void on_bool(void* c, bool) { scalar(c); }
void on_array(void* c, size_t count) { header_of(c) = {Header::Kind::array, count}; }
void on_map(void* c, size_t count) { header_of(c) = {Header::Kind::map, count}; }
void on_tag(void* c, uint64_t) { refuse(c); }
void on_float(void* c, float) { refuse(c); }
void on_double(void* c, double) { refuse(c); }

cbor_callbacks strict_callbacks() {
  cbor_callbacks callbacks{};
  callbacks.uint8 = on_uint8;
  callbacks.uint16 = on_uint16;
  callbacks.uint32 = on_uint32;
  callbacks.uint64 = on_uint64;
  callbacks.negint8 = on_uint8;
  callbacks.negint16 = on_uint16;
  callbacks.negint32 = on_uint32;
  callbacks.negint64 = on_uint64;
  callbacks.byte_string = on_string;  // definite: libcbor calls it only once every byte is there
  callbacks.string = on_string;
  callbacks.byte_string_start = refuse;  // indefinite lengths
  callbacks.string_start = refuse;
  callbacks.indef_array_start = refuse;
  callbacks.indef_map_start = refuse;
  callbacks.indef_break = refuse;
  callbacks.array_start = on_array;
  callbacks.map_start = on_map;
  callbacks.tag = on_tag;
  callbacks.float2 = on_float;
  callbacks.float4 = on_float;
  callbacks.float8 = on_double;
  callbacks.undefined = refuse;
  callbacks.null = scalar;
  callbacks.boolean = on_bool;
  return callbacks;
}

// The length of the first item of `bytes` when it passes every check, nullopt otherwise.
std::optional<std::size_t> measure_item(std::string_view bytes) {
  static const cbor_callbacks callbacks = strict_callbacks();
  const std::size_t size = std::min(bytes.size(), kMaxCborBytes);
  const auto* data = reinterpret_cast<cbor_data>(bytes.data());
  std::vector<uint64_t> pending{1};  // items still to read at each open level; the bottom is the top item
  std::size_t offset = 0;
  while (!pending.empty()) {
    if (offset >= size) return std::nullopt;
    Header header;
    const cbor_decoder_result result = cbor_stream_decode(data + offset, size - offset, &callbacks, &header);
    if (result.status != CBOR_DECODER_FINISHED || result.read == 0) return std::nullopt;
    if (header.kind == Header::Kind::refused) return std::nullopt;
    offset += result.read;
    --pending.back();
    uint64_t children = 0;
    if (header.kind == Header::Kind::array) children = header.count;
    if (header.kind == Header::Kind::map) {
      if (header.count > (size - offset) / 2) return std::nullopt;
      children = header.count * 2;
    }
    // Each child takes at least one byte: a count beyond the bytes left is a lie, refused before
    // cbor_load would allocate room for it.
    if (children > size - offset) return std::nullopt;
    if (header.kind != Header::Kind::scalar) {
      const std::size_t open_containers = pending.size() - 1;  // the bottom entry is the top item's
      if (open_containers >= kMaxCborDepth) return std::nullopt;
      pending.push_back(children);
    }
    while (!pending.empty() && pending.back() == 0) pending.pop_back();
  }
  return offset;
}

using MapKey = std::variant<int64_t, std::string_view>;

std::optional<MapKey> map_key(const cbor_item_t* key) {
  if (const auto number = cbor_integer(key)) return MapKey{*number};
  if (const auto text = cbor_text(key)) return MapKey{*text};
  return std::nullopt;
}

}  // namespace

void CborRelease::operator()(cbor_item_t* item) const {
  if (item != nullptr) cbor_decref(&item);
}

std::optional<CborPrefix> read_cbor_prefix(std::string_view bytes) {
  const std::optional<std::size_t> length = measure_item(bytes);
  if (!length) return std::nullopt;
  cbor_load_result result{};
  CborItem item(cbor_load(reinterpret_cast<cbor_data>(bytes.data()), *length, &result));
  if (!item || result.error.code != CBOR_ERR_NONE || result.read != *length) return std::nullopt;
  return CborPrefix{std::move(item), *length};
}

CborItem read_cbor(std::string_view bytes) {
  std::optional<CborPrefix> prefix = read_cbor_prefix(bytes);
  if (!prefix || prefix->length != bytes.size()) return nullptr;
  return std::move(prefix->item);
}

std::optional<int64_t> cbor_integer(const cbor_item_t* item) {
  if (item == nullptr) return std::nullopt;
  if (cbor_isa_uint(item)) {
    const uint64_t value = cbor_get_int(item);
    if (value > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(value);
  }
  if (cbor_isa_negint(item)) {
    const uint64_t value = cbor_get_int(item);  // the integer is -1 - value
    if (value > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return -1 - static_cast<int64_t>(value);
  }
  return std::nullopt;
}

std::optional<std::string_view> cbor_bytes(const cbor_item_t* item) {
  if (item == nullptr || !cbor_isa_bytestring(item) || !cbor_bytestring_is_definite(item)) return std::nullopt;
  const std::size_t length = cbor_bytestring_length(item);
  if (length == 0) return std::string_view{};
  return std::string_view(reinterpret_cast<const char*>(cbor_bytestring_handle(item)), length);
}

std::optional<std::string_view> cbor_text(const cbor_item_t* item) {
  if (item == nullptr || !cbor_isa_string(item) || !cbor_string_is_definite(item)) return std::nullopt;
  const std::size_t length = cbor_string_length(item);
  if (length == 0) return std::string_view{};
  return std::string_view(reinterpret_cast<const char*>(cbor_string_handle(item)), length);
}

bool is_map_with_unique_keys(const cbor_item_t* item) {
  if (item == nullptr || !cbor_isa_map(item) || !cbor_map_is_definite(item)) return false;
  const std::size_t size = cbor_map_size(item);
  const cbor_pair* pairs = cbor_map_handle(item);
  std::vector<MapKey> keys;
  keys.reserve(size);
  for (std::size_t i = 0; i < size; ++i) {
    std::optional<MapKey> key = map_key(pairs[i].key);
    if (!key) return false;
    keys.push_back(*key);
  }
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
}

const cbor_item_t* cbor_map_value(const cbor_item_t* map, int64_t key) {
  if (map == nullptr || !cbor_isa_map(map)) return nullptr;
  const cbor_pair* pairs = cbor_map_handle(map);
  for (std::size_t i = 0; i < cbor_map_size(map); ++i) {
    if (cbor_integer(pairs[i].key) == key) return pairs[i].value;
  }
  return nullptr;
}

const cbor_item_t* cbor_map_value(const cbor_item_t* map, std::string_view key) {
  if (map == nullptr || !cbor_isa_map(map)) return nullptr;
  const cbor_pair* pairs = cbor_map_handle(map);
  for (std::size_t i = 0; i < cbor_map_size(map); ++i) {
    if (cbor_text(pairs[i].key) == key) return pairs[i].value;
  }
  return nullptr;
}

}  // namespace latchkey::webauthn
