// The links in confirmation and reset mails: `email.confirm_url` / `reset_url` with the token in.
#pragma once

#include <string>
#include <string_view>

namespace latchkey::mail {

// RFC 3986 percent-encoding of everything but the unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string url_encode(std::string_view value);

// url_template with every "{token}" replaced by url_encode(token). A template without "{token}"
// gets "?token=..." (or "&token=...") appended, so the link always carries the token.
std::string link_with_token(const std::string& url_template, const std::string& token);

}  // namespace latchkey::mail
