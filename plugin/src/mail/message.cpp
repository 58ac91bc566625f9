// RFC 5322 / MIME message building: headers checked against injection, RFC 2047 subjects,
// quoted-printable bodies (which keep every line short and the boundary unambiguous).
#include "mail/message.h"

#include <botan/base64.h>

#include <ctime>

#include "store/token_hash.h"

namespace latchkey::mail {
namespace {

constexpr std::string_view crlf = "\r\n";

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

bool has_control(std::string_view s) {
    for (unsigned char c : s)
        if (is_control(c)) return true;
    return false;
}

bool is_ascii(std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80) return false;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Why `address` is not one plain ASCII addr-spec we can put in To and RCPT TO, or "".
std::string address_problem(std::string_view address) {
    if (address.empty()) return "empty address";
    if (address.size() > 320) return "address longer than 320 characters";
    if (has_control(address)) return "control character (CR/LF) in address";
    if (!is_ascii(address)) return "non-ASCII address (SMTPUTF8 is not supported)";
    for (char c : address)
        if (std::string_view(" <>()[]\\,;:\"").find(c) != std::string_view::npos)
            return std::string("character '") + c + "' in address";
    const auto at = address.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == address.size() || address.find('@') != at)
        return "not one address of the form local@domain";
    return "";
}

// The display-name part of "Name <a@b.c>" ("" when there is none).
std::string_view display_name_of(std::string_view mailbox) {
    const auto open = mailbox.find('<');
    return open == std::string_view::npos ? std::string_view() : trim(mailbox.substr(0, open));
}

std::string from_header(std::string_view from) {
    const std::string_view name = display_name_of(from);
    const std::string address = address_of(from);
    if (name.empty()) return address;
    if (is_ascii(name)) return std::string(name) + " <" + address + ">";
    return encode_header_words(name) + " <" + address + ">";
}

std::string subject_header(std::string_view subject) {
    const bool plain = is_ascii(subject) && subject.size() + 9 <= 78 && subject.find("=?") == std::string_view::npos;
    return plain ? std::string(subject) : encode_header_words(subject);
}

void append_part(std::string& out, std::string_view boundary, std::string_view type, std::string_view body) {
    out += "--";
    out += boundary;
    out += crlf;
    out += "Content-Type: ";
    out += type;
    out += "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
    out += encode_quoted_printable(body);
    out += crlf;  // the CRLF before a boundary belongs to the boundary (RFC 2046 §5.1.1)
}

}  // namespace

std::string address_of(std::string_view mailbox) {
    const auto open = mailbox.find('<');
    if (open == std::string_view::npos) return std::string(trim(mailbox));
    const auto close = mailbox.find('>', open);
    return std::string(trim(mailbox.substr(open + 1, close == std::string_view::npos ? std::string_view::npos : close - open - 1)));
}

std::string header_problem(const Message& message, std::string_view from) {
    if (auto problem = address_problem(message.to); !problem.empty()) return "recipient: " + problem;
    if (has_control(message.subject)) return "subject: control character (CR/LF) in subject";
    if (has_control(from)) return "from: control character (CR/LF) in from";
    if (auto problem = address_problem(address_of(from)); !problem.empty()) return "from: " + problem;
    if (display_name_of(from).find_first_of("<>") != std::string_view::npos) return "from: '<' or '>' in display name";
    return "";
}

std::string encode_quoted_printable(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    std::size_t line_length = 0;  // of the current output line
    const auto emit = [&](std::string_view token) {
        if (line_length + token.size() > 75) {  // leave room for the soft break's '='
            out += "=\r\n";
            line_length = 0;
        }
        out += token;
        line_length += token.size();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\r' || c == '\n') {  // CRLF, LF or a lone CR: one hard line break
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            out += crlf;
            line_length = 0;
            continue;
        }
        const bool line_end = i + 1 == text.size() || text[i + 1] == '\r' || text[i + 1] == '\n';
        const bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_end);
        if (literal && !(c == '.' && line_length == 0)) {  // a leading '.' is encoded: SMTP gives it meaning
            if (line_length + 1 > 75) {
                out += "=\r\n";
                line_length = 0;
                if (c == '.') {
                    emit("=2E");
                    continue;
                }
            }
            out += static_cast<char>(c);
            ++line_length;
        } else {
            const char encoded[3] = {'=', hex[c >> 4], hex[c & 0x0f]};
            emit(std::string_view(encoded, 3));
        }
    }
    return out;
}

std::string encode_header_words(std::string_view text) {
    // An encoded-word is at most 75 characters: "=?UTF-8?B?" + 60 base64 characters + "?=",
    // so 45 bytes each, never splitting a UTF-8 sequence (RFC 2047 §5).
    std::string out;
    while (!text.empty()) {
        std::size_t n = std::min<std::size_t>(45, text.size());
        while (n < text.size() && n > 1 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?";
        out += Botan::base64_encode(reinterpret_cast<const std::uint8_t*>(text.data()), n);
        out += "?=";
        text.remove_prefix(n);
    }
    return out;
}

std::string rfc5322_date(std::int64_t unix_seconds) {
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                  months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buffer;
}

BuiltMessage build_rfc5322(const Message& message, std::string_view from, std::int64_t now) {
    if (auto problem = header_problem(message, from); !problem.empty()) return {"", problem};
    const std::string from_address = address_of(from);
    const std::string domain = from_address.substr(from_address.rfind('@') + 1);
    std::string out;
    out += "From: " + from_header(from) + "\r\n";
    out += "To: " + message.to + "\r\n";
    out += "Subject: " + subject_header(message.subject) + "\r\n";
    out += "Date: " + rfc5322_date(now) + "\r\n";
    out += "Message-ID: <" + store::random_hex(16) + "." + std::to_string(now) + "@" + domain + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    if (message.html.empty()) {
        out += "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
        out += encode_quoted_printable(message.text);
        out += crlf;
        return {out, ""};
    }
    // "=_" never occurs in quoted-printable output, so no body can contain the boundary.
    const std::string boundary = "=_lk_" + store::random_hex(12);
    out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
    append_part(out, boundary, "text/plain", message.text);
    append_part(out, boundary, "text/html", message.html);
    out += "--" + boundary + "--\r\n";
    return {out, ""};
}

}  // namespace latchkey::mail
