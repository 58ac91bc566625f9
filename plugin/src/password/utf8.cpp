// Strict UTF-8 code point counting (see utf8.h).
#include "password/utf8.h"

namespace latchkey::password {

namespace {

bool in_range(unsigned char byte, unsigned char low, unsigned char high) {
  return byte >= low && byte <= high;
}

// Length of the sequence starting with `lead` and the allowed range of its second byte, or
// length 0 when `lead` cannot start a sequence. The narrowed second-byte ranges are what
// exclude overlong forms, surrogates and code points above U+10FFFF.
struct SequenceShape {
  std::size_t length;
  unsigned char second_low;
  unsigned char second_high;
};

SequenceShape shape_of(unsigned char lead) {
  if (lead <= 0x7F) return {1, 0, 0};
  if (in_range(lead, 0xC2, 0xDF)) return {2, 0x80, 0xBF};
  if (lead == 0xE0) return {3, 0xA0, 0xBF};
  if (lead == 0xED) return {3, 0x80, 0x9F};
  if (in_range(lead, 0xE1, 0xEF)) return {3, 0x80, 0xBF};
  if (lead == 0xF0) return {4, 0x90, 0xBF};
  if (lead == 0xF4) return {4, 0x80, 0x8F};
  if (in_range(lead, 0xF1, 0xF3)) return {4, 0x80, 0xBF};
  return {0, 0, 0};
}

}  // namespace

std::optional<std::size_t> count_code_points(std::string_view text) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto shape = shape_of(static_cast<unsigned char>(text[i]));
    if (shape.length == 0 || text.size() - i < shape.length) return std::nullopt;
    if (shape.length > 1) {
      if (!in_range(static_cast<unsigned char>(text[i + 1]), shape.second_low, shape.second_high))
        return std::nullopt;
      for (std::size_t k = 2; k < shape.length; ++k) {
        if (!in_range(static_cast<unsigned char>(text[i + k]), 0x80, 0xBF)) return std::nullopt;
      }
    }
    i += shape.length;
    ++count;
  }
  return count;
}

}  // namespace latchkey::password
