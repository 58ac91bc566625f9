// The QR code: a well-formed SVG whose dark squares are exactly libqrencode's modules for the URI,
// inside a 4-module quiet zone.
#include "mfa/qr_svg.h"

#include <gtest/gtest.h>
#include <qrencode.h>

#include <regex>

namespace latchkey::mfa {
namespace {

const std::string kUri = "otpauth://totp/Latchkey:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Latchkey";

TEST(QrSvg, IsOneSvgElementWithABackgroundAndOnePath) {
  const auto svg = qr_svg(kUri);
  ASSERT_TRUE(svg);
  const std::regex form(
      "<svg xmlns=\"http://www\\.w3\\.org/2000/svg\" viewBox=\"0 0 (\\d+) \\1\" shape-rendering=\"crispEdges\">"
      "<rect width=\"\\1\" height=\"\\1\" fill=\"#fff\"/>"
      "<path fill=\"#000\" d=\"(M\\d+ \\d+h1v1h-1z)+\"/></svg>");
  EXPECT_TRUE(std::regex_match(*svg, form)) << *svg;
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
