// The mails' texts: built-in defaults (text + HTML), each replaceable by an operator's file
// in `email.templates_dir`. Placeholders: {link} and {email} (HTML-escaped in .html files).
#pragma once

#include <string>
#include <variant>

#include "config/auth_config.h"
#include "mail/message.h"

namespace latchkey::mail {

// One mail's template. `text`'s and `html`'s placeholders are filled in by Templates.
struct Template {
    std::string subject;
    std::string text;
    std::string html;  // empty: the mail is text/plain only
};

class Templates {
public:
    // The built-in texts.
    static Templates defaults();

    // defaults(), with any of confirm.txt, confirm.html, already_registered.txt,
    // already_registered.html, reset.txt, reset.html, magic_link.txt, magic_link.html found in `email.templates_dir` (relative to
    // config_dir) replacing the built-in one. A .txt file starts with a "Subject: ..." line. An
    // absent file keeps the default; an empty .html file means text only. Returns the error text
    // when the folder is missing, a file is unreadable or lacks its Subject line, or the folder
    // holds another .txt/.html file (a misspelt name would otherwise be silently ignored).
    static std::variant<Templates, std::string> load(const config::EmailConfig& email, const std::string& config_dir);

    Message confirm(const std::string& to, const std::string& link) const;
    // For a registration of an address that already has an account: the link resets the password.
    Message already_registered(const std::string& to, const std::string& reset_link) const;
    Message reset(const std::string& to, const std::string& link) const;
    // The sign-in link of POST <prefix>/magic-link.
    Message magic_link(const std::string& to, const std::string& link) const;

private:
    Template confirm_, already_registered_, reset_, magic_link_;
};

// Replaces {link} and {email} (single pass: a value is never expanded again); other braces are
// kept as they are. `html` escapes the values (& < > " ').
std::string fill_placeholders(const std::string& pattern, const std::string& link, const std::string& email, bool html);

}  // namespace latchkey::mail
