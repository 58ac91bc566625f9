// Header lookups over the head's bytes: a linear scan, as a request has a handful of fields and
// a plugin asks for two or three of them.
#include "request_headers.h"


namespace latchkey::host {
namespace {

uint32_t offset(size_t value) { return static_cast<uint32_t>(value); }  // heads and values are far below 4 GiB

}  // namespace

bool equals_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

RequestHeaders::RequestHeaders(std::string head, std::vector<HeaderField> fields)
    : bytes_(std::move(head)), fields_(std::move(fields)) {}

std::optional<std::string_view> RequestHeaders::find(std::string_view name) const {
  for (const HeaderField& field : fields_) {
    if (equals_ignoring_ascii_case(name_of(field), name)) {
      return std::string_view(bytes_).substr(field.value_offset, field.value_length);
    }
  }
  return std::nullopt;
}

void RequestHeaders::set(std::string_view name, std::string_view value) {
  std::erase_if(fields_, [&](const HeaderField& field) { return equals_ignoring_ascii_case(name_of(field), name); });
  HeaderField field;
  field.name_offset = offset(bytes_.size());
  field.name_length = offset(name.size());
  bytes_.append(name);
  field.value_offset = offset(bytes_.size());
  field.value_length = offset(value.size());
  bytes_.append(value);
  fields_.push_back(field);
}

}  // namespace latchkey::host
