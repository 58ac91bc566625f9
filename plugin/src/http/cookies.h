// Set-Cookie values for the access and refresh cookies (CONTRACT §3 "Cookies", §6).
#pragma once

#include "config/auth_config.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace latchkey::http {

// name=value with HttpOnly, SameSite, Secure and Domain from config, Path and Max-Age as given.
std::string set_cookie(const config::CookiesConfig& cookies, std::string_view name, std::string_view value,
                       std::string_view path, int64_t max_age_seconds);

// The same cookie emptied with Max-Age=0, with the same Path and Domain it was set with.
std::string clear_cookie(const config::CookiesConfig& cookies, std::string_view name, std::string_view path);

}  // namespace latchkey::http
