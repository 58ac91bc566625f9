// libqrencode's QRcode::data holds one byte per module; its lowest bit is 1 for a dark module.
#include "mfa/qr_svg.h"

#include <qrencode.h>

#include <memory>

namespace latchkey::mfa {
namespace {

constexpr int kQuietZone = 4;  // ISO/IEC 18004 asks for four modules of light margin

}  // namespace

std::optional<QrMatrix> qr_matrix(std::string_view text) {
  const std::string data(text);  // NUL-terminated for libqrencode
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!code) return std::nullopt;
  QrMatrix matrix;
  matrix.width = code->width;
  matrix.dark.resize(static_cast<std::size_t>(code->width) * code->width);
  for (std::size_t i = 0; i < matrix.dark.size(); ++i) matrix.dark[i] = (code->data[i] & 1) != 0;
  return matrix;
}

std::optional<std::string> qr_svg(std::string_view text) {
  const auto matrix = qr_matrix(text);
  if (!matrix) return std::nullopt;
  const std::string size = std::to_string(matrix->width + 2 * kQuietZone);
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size +
                    "\" shape-rendering=\"crispEdges\"><rect width=\"" + size + "\" height=\"" + size +
                    "\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < matrix->width; ++y) {
    for (int x = 0; x < matrix->width; ++x) {
      if (!matrix->dark[static_cast<std::size_t>(y) * matrix->width + x]) continue;
      svg += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h1v1h-1z";
    }
  }
  svg += "\"/></svg>";
  return svg;
}

}  // namespace latchkey::mfa
