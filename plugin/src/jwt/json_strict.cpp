// A SAX pass that rejects duplicates and deep nesting, then RapidJSON builds the document.
#include "jwt/json_strict.h"

#include <set>
#include <string>
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

// Returning false from a handler stops the parse with an error.
class StrictnessCheck : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, StrictnessCheck> {
 public:
  explicit StrictnessCheck(std::size_t max_depth) : max_depth_(max_depth) {}

  bool Default() { return true; }
  bool StartObject() {
    if (++depth_ > max_depth_) return false;
    names_.emplace_back();
    return true;
  }
  bool String(const char* text, rapidjson::SizeType length, bool) { return !has_encoded_surrogate(text, length); }
  bool Key(const char* name, rapidjson::SizeType length, bool) {
    if (has_encoded_surrogate(name, length)) return false;
    return names_.back().emplace(name, length).second;  // names are compared after unescaping
  }
  bool EndObject(rapidjson::SizeType) {
    names_.pop_back();
    --depth_;
    return true;
  }
  bool StartArray() { return ++depth_ <= max_depth_; }
  bool EndArray(rapidjson::SizeType) {
    --depth_;
    return true;
  }

 private:
  std::size_t max_depth_;
  std::size_t depth_ = 0;
  std::vector<std::set<std::string>> names_;
};

}  // namespace

std::optional<rapidjson::Document> parse_json_object(std::string_view text, std::size_t max_depth) {
  // RapidJSON reads NUL as the end of input: `{}\0junk` would pass. Raw NUL is never valid JSON.
  if (text.find('\0') != std::string_view::npos) return std::nullopt;

  rapidjson::MemoryStream stream(text.data(), text.size());
  StrictnessCheck check(max_depth);
  rapidjson::Reader reader;
  if (reader.Parse<kParseFlags>(stream, check).IsError()) return std::nullopt;

  rapidjson::Document document;
  document.Parse<kParseFlags>(text.data(), text.size());
  if (document.HasParseError() || !document.IsObject()) return std::nullopt;
  return document;
}

}  // namespace latchkey::jwt
