// The otpauth URI as a QR code a phone can scan: libqrencode makes the module matrix, this draws it
// as an SVG (one square per dark module, a 4-module quiet zone, scalable through its viewBox).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::mfa {

// The modules, row by row (true = dark), as libqrencode encodes `text` (8-bit mode, level M).
struct QrMatrix {
  int width = 0;
  std::vector<bool> dark;  // width * width
};
std::optional<QrMatrix> qr_matrix(std::string_view text);

// An SVG document of the matrix; nullopt when libqrencode cannot encode the text (too long).
std::optional<std::string> qr_svg(std::string_view text);

}  // namespace latchkey::mfa
