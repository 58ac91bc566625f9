// Parsing of JOSE header and claims JSON stricter than RapidJSON's defaults: one object, valid
// UTF-8, no duplicate member names (RFC 7515 §4, RFC 8725 §3.2-ish), bounded nesting.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include <rapidjson/document.h>

namespace latchkey::jwt {

// The parsed object, or nullopt when `text` is not exactly one JSON object, has a duplicate
// member name at any level, nests deeper than `max_depth` objects/arrays, or holds invalid
// UTF-8 or a NUL byte. Memory and stack stay bounded for any input.
std::optional<rapidjson::Document> parse_json_object(std::string_view text, std::size_t max_depth);

// The same into a document the caller made (e.g. with its allocator over a stack buffer): true
// when `text` is accepted; on false the document's content means nothing.
bool parse_json_object_into(std::string_view text, std::size_t max_depth, rapidjson::Document& document);

}  // namespace latchkey::jwt
