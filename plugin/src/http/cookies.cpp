// Cookie attributes in one place, so a cleared cookie always matches the one that was set.
#include "http/cookies.h"

namespace latchkey::http {

std::string set_cookie(const config::CookiesConfig& cookies, std::string_view name, std::string_view value,
                       std::string_view path, int64_t max_age_seconds) {
  std::string cookie;
  cookie.append(name).append("=").append(value);
  cookie.append("; Path=").append(path);
  if (cookies.domain) cookie.append("; Domain=").append(*cookies.domain);
  cookie.append("; Max-Age=").append(std::to_string(max_age_seconds));
  // The attribute order of CONTRACT §6's example: `…; HttpOnly; Secure; SameSite=Strict`.
  cookie.append("; HttpOnly");
  if (cookies.secure) cookie.append("; Secure");
  cookie.append("; SameSite=").append(cookies.same_site);
  return cookie;
}

std::string clear_cookie(const config::CookiesConfig& cookies, std::string_view name, std::string_view path) {
  return set_cookie(cookies, name, "", path, 0);
}

}  // namespace latchkey::http
