// link_with_token and the percent-encoding it needs.
#include "mail/link.h"

namespace latchkey::mail {

std::string url_encode(std::string_view value) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size());
    for (unsigned char c : value) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                                c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0x0f];
        }
    }
    return out;
}

std::string link_with_token(const std::string& url_template, const std::string& token) {
    static constexpr std::string_view placeholder = "{token}";
    const std::string encoded = url_encode(token);
    std::string out;
    std::size_t from = 0, at = 0;
    bool replaced = false;
    while ((at = url_template.find(placeholder, from)) != std::string::npos) {
        out.append(url_template, from, at - from);
        out += encoded;
        from = at + placeholder.size();
        replaced = true;
    }
    out.append(url_template, from, std::string::npos);
    if (!replaced) {
        const auto hash = out.find('#');
        const std::string fragment = hash == std::string::npos ? "" : out.substr(hash);
        if (hash != std::string::npos) out.erase(hash);
        out += (out.find('?') == std::string::npos ? "?token=" : "&token=") + encoded + fragment;
    }
    return out;
}

}  // namespace latchkey::mail
