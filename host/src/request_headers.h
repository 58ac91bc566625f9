// A request's header fields as views into the head the client sent: nothing is copied per field,
// and a plugin's lookup returns a view of the bytes received.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::host {

// Equal but for ASCII case, whatever the process's locale (an embedding application may have set
// one): header names are RFC 9110 tokens, and the values compared this way are ASCII keywords.
bool equals_ignoring_ascii_case(std::string_view a, std::string_view b);

// Where one header line's name and (trimmed) value lie inside a request head.
struct HeaderField {
  uint32_t name_offset = 0;
  uint32_t name_length = 0;
  uint32_t value_offset = 0;
  uint32_t value_length = 0;
};

// Lookups ignore case; a name sent more than once answers with its first line. Once the request
// is built nothing changes it, so the workers that read it need no lock. Views returned stay valid
// while the object lives and is not changed (copies and moves keep offsets, not pointers).
class RequestHeaders {
 public:
  RequestHeaders() = default;
  // Takes the head's bytes and the fields check_request_head found in them.
  RequestHeaders(std::string head, std::vector<HeaderField> fields);

  std::optional<std::string_view> find(std::string_view name) const;

  // Replaces every line of `name` with one holding `value` (the lines the host joins; the headers
  // of a request someone else's server parsed; tests). Neither may view this object's own bytes,
  // and views found before a set() may dangle after it.
  void set(std::string_view name, std::string_view value);

  size_t size() const { return fields_.size(); }

 private:
  std::string_view name_of(const HeaderField& field) const {
    return std::string_view(bytes_).substr(field.name_offset, field.name_length);
  }

  std::string bytes_;  // the head as received, then the values set() appended
  std::vector<HeaderField> fields_;
};

}  // namespace latchkey::host
