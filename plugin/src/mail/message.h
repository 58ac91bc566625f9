// One mail as the services write it, and its RFC 5322 / MIME form (multipart/alternative, UTF-8,
// quoted-printable bodies), shared by the file and SMTP transports.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace latchkey::mail {

struct Message {
    std::string to;       // one bare address: a@b.c
    std::string subject;  // UTF-8, one line
    std::string text;     // UTF-8 plain-text body
    std::string html;     // UTF-8 HTML body; empty: a text/plain-only mail
};

// The bare address of a From value: "Name <a@b.c>" -> "a@b.c", "a@b.c" -> "a@b.c".
std::string address_of(std::string_view mailbox);

// Why `message` (or `from`) cannot be put into headers, or "" when it can: CR, LF or other
// control characters in the recipient, subject or From (header injection), or a recipient that
// is not one plain address.
std::string header_problem(const Message& message, std::string_view from);

struct BuiltMessage {
    std::string bytes;  // the message, when error is empty
    std::string error;  // why it was refused (header_problem)
    bool ok() const { return error.empty(); }
};

// The whole message in RFC 5322 form with CRLF line ends, no line longer than 998 octets:
// From, To, Subject (RFC 2047 encoded when not plain ASCII), Date (at `now`, Unix seconds),
// Message-ID, MIME-Version, and the bodies (multipart/alternative when there is HTML). A message
// that would allow header injection is refused, never "cleaned".
BuiltMessage build_rfc5322(const Message& message, std::string_view from, std::int64_t now);

// The building blocks, exposed for tests.
std::string encode_quoted_printable(std::string_view utf8);  // RFC 2045 §6.7, CRLF hard breaks
std::string encode_header_words(std::string_view utf8);      // RFC 2047 B encoded-words, folded
std::string rfc5322_date(std::int64_t unix_seconds);         // "Tue, 01 Dec 2026 10:00:00 +0000"

}  // namespace latchkey::mail
