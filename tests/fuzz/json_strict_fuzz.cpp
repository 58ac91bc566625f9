// The strict JSON parser every JOSE header, claims set, JWKS and auth config goes through, checked
// against the two-pass parser it replaced in issue 16 (a SAX pass with a std::set of names per
// object, then a DOM parse): the one-pass parser must accept and refuse exactly the same texts.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "jwt/json_strict.h"

namespace {

constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

bool has_encoded_surrogate(const char* text, rapidjson::SizeType length) {
  for (rapidjson::SizeType i = 0; i + 1 < length; ++i) {
    if (static_cast<unsigned char>(text[i]) == 0xED && (static_cast<unsigned char>(text[i + 1]) & 0xE0) == 0xA0) {
      return true;
    }
  }
  return false;
}

class ReferenceCheck : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, ReferenceCheck> {
 public:
  explicit ReferenceCheck(std::size_t max_depth) : max_depth_(max_depth) {}
  bool Default() { return true; }
  bool StartObject() {
    if (++depth_ > max_depth_) return false;
    names_.emplace_back();
    return true;
  }
  bool String(const char* text, rapidjson::SizeType length, bool) { return !has_encoded_surrogate(text, length); }
  bool Key(const char* name, rapidjson::SizeType length, bool) {
    if (has_encoded_surrogate(name, length)) return false;
    return names_.back().emplace(name, length).second;
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

// The reference's verdict, and the document it built as JSON text.
bool reference_accepts(std::string_view text, std::size_t max_depth, std::string& json) {
  if (text.find('\0') != std::string_view::npos) return false;
  rapidjson::MemoryStream stream(text.data(), text.size());
  ReferenceCheck check(max_depth);
  rapidjson::Reader reader;
  if (reader.Parse<kParseFlags>(stream, check).IsError()) return false;
  rapidjson::Document document;
  document.Parse<kParseFlags>(text.data(), text.size());
  if (document.HasParseError() || !document.IsObject()) return false;
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  document.Accept(writer);
  json.assign(out.GetString(), out.GetSize());
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const std::size_t depth : {std::size_t{1}, std::size_t{8}, std::size_t{64}}) {
    const auto document = latchkey::jwt::parse_json_object(text, depth);
    if (document && !document->IsObject()) std::abort();
    std::string expected;
    if (reference_accepts(text, depth, expected) != document.has_value()) std::abort();
    if (document) {
      rapidjson::StringBuffer out;
      rapidjson::Writer<rapidjson::StringBuffer> writer(out);
      document->Accept(writer);
      if (std::string_view(out.GetString(), out.GetSize()) != expected) std::abort();
    }
  }
  return 0;
}
