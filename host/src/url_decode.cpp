// Percent-decoding through libcurl, which the project already links for SMTP and JWKS fetches.
#include "url_decode.h"

#include <curl/curl.h>

#include <memory>

namespace latchkey::host {

std::string percent_decode(std::string_view text) {
  int length = 0;
  // Since curl 7.82 the handle may be NULL for unescaping.
  std::unique_ptr<char, decltype(&curl_free)> decoded(
      curl_easy_unescape(nullptr, text.data(), static_cast<int>(text.size()), &length), &curl_free);
  if (!decoded) return std::string();
  return std::string(decoded.get(), static_cast<size_t>(length));
}

}  // namespace latchkey::host
