// The QR code: a well-formed SVG whose dark squares are exactly libqrencode's modules for the URI,
// inside a 4-module quiet zone.
#include "mfa/qr_svg.h"

#include <gtest/gtest.h>
#include <qrencode.h>

#include <regex>
#include <string_view>

namespace latchkey::mfa {
namespace {

const std::string kUri = "otpauth://totp/Latchkey:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Latchkey";

// True when d is only "M<x> <y>h1v1h-1z" squares, one after another. Read by hand: a regex with
// (...)+ over a whole path recurses once per square and overflows the stack under ASan.
bool only_unit_squares(std::string_view d) {
  auto number = [&d] {
    size_t digits = 0;
    while (digits < d.size() && d[digits] >= '0' && d[digits] <= '9') ++digits;
    d.remove_prefix(digits);
    return digits > 0;
  };
  auto literal = [&d](std::string_view text) {
    if (d.substr(0, text.size()) != text) return false;
    d.remove_prefix(text.size());
    return true;
  };
  if (d.empty()) return false;
  while (!d.empty()) {
    if (!(literal("M") && number() && literal(" ") && number() && literal("h1v1h-1z"))) return false;
  }
  return true;
}

TEST(QrSvg, IsOneSvgElementWithABackgroundAndOnePath) {
  const auto svg = qr_svg(kUri);
  ASSERT_TRUE(svg);
  const std::regex head(
      "<svg xmlns=\"http://www\\.w3\\.org/2000/svg\" viewBox=\"0 0 (\\d+) \\1\" shape-rendering=\"crispEdges\">"
      "<rect width=\"\\1\" height=\"\\1\" fill=\"#fff\"/>"
      "<path fill=\"#000\" d=\"");
  std::smatch opened;
  ASSERT_TRUE(std::regex_search(*svg, opened, head, std::regex_constants::match_continuous)) << *svg;
  const std::string_view tail = "\"/></svg>";
  ASSERT_GT(svg->size(), opened.length(0) + tail.size());
  EXPECT_EQ(std::string_view(*svg).substr(svg->size() - tail.size()), tail) << *svg;
  EXPECT_TRUE(only_unit_squares(
      std::string_view(*svg).substr(opened.length(0), svg->size() - opened.length(0) - tail.size())))
      << *svg;
  EXPECT_FALSE(only_unit_squares("M1 2h1v1h-1zM3"));
  EXPECT_FALSE(only_unit_squares("M1 2h1v1h-1z<script>"));
  // No character that would need escaping in XML.
  EXPECT_EQ(svg->find('&'), std::string::npos);
}

TEST(QrSvg, DarkSquaresAreLibqrencodesModulesWithinAQuietZone) {
  const auto svg = qr_svg(kUri);
  ASSERT_TRUE(svg);
  QRcode* code = QRcode_encodeString8bit(kUri.c_str(), 0, QR_ECLEVEL_M);
  ASSERT_NE(code, nullptr);
  const int width = code->width;
  std::smatch size;
  ASSERT_TRUE(std::regex_search(*svg, size, std::regex("viewBox=\"0 0 (\\d+)")));
  EXPECT_EQ(std::stoi(size[1]), width + 8);

  std::vector<bool> drawn(static_cast<size_t>(width) * width, false);
  const std::regex square("M(\\d+) (\\d+)h1v1h-1z");
  for (auto it = std::sregex_iterator(svg->begin(), svg->end(), square); it != std::sregex_iterator(); ++it) {
    const int x = std::stoi((*it)[1]) - 4, y = std::stoi((*it)[2]) - 4;
    ASSERT_TRUE(x >= 0 && y >= 0 && x < width && y < width) << "a square in the quiet zone at " << x << "," << y;
    EXPECT_FALSE(drawn[static_cast<size_t>(y) * width + x]) << "drawn twice";
    drawn[static_cast<size_t>(y) * width + x] = true;
  }
  int dark = 0;
  for (int i = 0; i < width * width; ++i) {
    EXPECT_EQ(drawn[i], (code->data[i] & 1) != 0) << "module " << i % width << "," << i / width;
    dark += code->data[i] & 1;
  }
  EXPECT_GT(dark, width * width / 4);
  QRcode_free(code);
}

TEST(QrSvg, MatrixIsLibqrencodes) {
  const auto matrix = qr_matrix("hello");
  ASSERT_TRUE(matrix);
  EXPECT_EQ(matrix->width, 21);  // version 1
  EXPECT_TRUE(matrix->dark[0]);  // the corner of a finder pattern
}

}  // namespace
}  // namespace latchkey::mfa
