// Reads a mail the way a mail client would, with Python's email package
// (tests/data/mail/parse_eml.py), so the tests check our bytes against an independent parser.
#pragma once

#include <string>
#include <vector>

namespace latchkey::mail::testing {

struct ParsedMail {
    std::string error;  // set when the parser could not run or its output was not understood
    std::string from, to, subject, message_id, mime_version, mail_from, content_type;
    std::vector<std::string> parts;  // content types of every part, the message itself first
    bool date_ok = false;            // the Date header parses
    std::string text, html;          // decoded bodies ("" when absent)
    bool has_html = false;
    std::vector<std::string> defects;  // what the parser complained about
    int max_line_length = 0;           // of the raw bytes, without the line end
    bool bare_lf = false;              // a line ended by LF alone
};

ParsedMail parse_mail(const std::string& raw);

}  // namespace latchkey::mail::testing
