// One SAX pass that refuses deep nesting and encoded surrogates while RapidJSON builds the
// document, then a walk of the document for duplicate names.
#include "jwt/json_strict.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace latchkey::jwt {
namespace {

constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag |  // no recursion: no stack blowup
                                 rapidjson::kParseValidateEncodingFlag;

// RapidJSON decodes a lone low surrogate (`"\ude00"`) into the bytes ED B8 80, which are not
// UTF-8 (it refuses a lone high one itself); raw bytes were validated already, so an encoded
// surrogate (ED A0..BF) can only come from such an escape. Found by jwks_fuzz: such a kid read
// back from our own JWKS output was refused.
bool has_encoded_surrogate(const char* text, rapidjson::SizeType length) {
  for (rapidjson::SizeType i = 0; i + 1 < length; ++i) {
    if (static_cast<unsigned char>(text[i]) == 0xED && (static_cast<unsigned char>(text[i + 1]) & 0xE0) == 0xA0) {
      return true;
    }
  }
  return false;
}

// Hands every event on to the document being built, refusing (false stops the parse with an
// error) what RapidJSON would accept but we do not: too deep, or an encoded surrogate.
class StrictBuilder {
 public:
  StrictBuilder(rapidjson::Document& document, std::size_t max_depth) : document_(document), max_depth_(max_depth) {}

  bool Null() { return document_.Null(); }
  bool Bool(bool b) { return document_.Bool(b); }
  bool Int(int i) { return document_.Int(i); }
  bool Uint(unsigned u) { return document_.Uint(u); }
  bool Int64(std::int64_t i) { return document_.Int64(i); }
  bool Uint64(std::uint64_t u) { return document_.Uint64(u); }
  bool Double(double d) { return document_.Double(d); }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool copy) { return document_.RawNumber(text, length, copy); }
  bool String(const char* text, rapidjson::SizeType length, bool copy) {
    return !has_encoded_surrogate(text, length) && document_.String(text, length, copy);
  }
  bool Key(const char* name, rapidjson::SizeType length, bool copy) {
    return !has_encoded_surrogate(name, length) && document_.Key(name, length, copy);
  }
  bool StartObject() { return ++depth_ <= max_depth_ && document_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return document_.EndObject(members);
  }
  bool StartArray() { return ++depth_ <= max_depth_ && document_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return document_.EndArray(elements);
  }

 private:
  rapidjson::Document& document_;
  std::size_t max_depth_;
  std::size_t depth_ = 0;
};

std::string_view name_of(const rapidjson::Value::Member& member) {
  return {member.name.GetString(), member.name.GetStringLength()};
}

// Names are compared as stored, that is after unescaping ("\u0061lg" is "alg").
bool has_duplicate_names(const rapidjson::Value& object) {
  constexpr rapidjson::SizeType kPairwiseUpTo = 16;  // a JOSE header or claims set: no allocation
  const rapidjson::SizeType count = object.MemberCount();
  const auto members = object.MemberBegin();
  if (count <= kPairwiseUpTo) {
    for (rapidjson::SizeType i = 1; i < count; ++i) {
      for (rapidjson::SizeType j = 0; j < i; ++j) {
        if (name_of(members[i]) == name_of(members[j])) return true;
      }
    }
    return false;
  }
  std::vector<std::string_view> names;
  names.reserve(count);
  for (rapidjson::SizeType i = 0; i < count; ++i) names.push_back(name_of(members[i]));
  std::sort(names.begin(), names.end());
  return std::adjacent_find(names.begin(), names.end()) != names.end();
}

// Recursion is bounded by the depth limit the parse enforced.
bool has_duplicate_names_anywhere(const rapidjson::Value& value) {
  if (value.IsObject()) {
    if (has_duplicate_names(value)) return true;
    for (const auto& member : value.GetObject()) {
      if (has_duplicate_names_anywhere(member.value)) return true;
    }
  } else if (value.IsArray()) {
    for (const auto& item : value.GetArray()) {
      if (has_duplicate_names_anywhere(item)) return true;
    }
  }
  return false;
}

}  // namespace

bool parse_json_object_into(std::string_view text, std::size_t max_depth, rapidjson::Document& document) {
  // RapidJSON reads NUL as the end of input: `{}\0junk` would pass. Raw NUL is never valid JSON.
  if (text.find('\0') != std::string_view::npos) return false;

  bool parsed = false;
  auto generator = [&](rapidjson::Document& target) {
    rapidjson::MemoryStream stream(text.data(), text.size());
    StrictBuilder builder(target, max_depth);
    rapidjson::Reader reader;
    parsed = !reader.Parse<kParseFlags>(stream, builder).IsError();
    return parsed;
  };
  document.Populate(generator);
  return parsed && document.IsObject() && !has_duplicate_names_anywhere(document);
}

std::optional<rapidjson::Document> parse_json_object(std::string_view text, std::size_t max_depth) {
  rapidjson::Document document;
  if (!parse_json_object_into(text, max_depth, document)) return std::nullopt;
  return document;
}

}  // namespace latchkey::jwt
