// Built-in mail texts and the operator's replacements from email.templates_dir.
#include "mail/templates.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

namespace latchkey::mail {
namespace {

const Template default_confirm{
    "Confirm your email address",
    "Hello,\n"
    "\n"
    "please confirm your email address {email} by opening this link:\n"
    "\n"
    "{link}\n"
    "\n"
    "The link works once and expires. If you did not create an account, you can ignore this mail.\n",
    "<!DOCTYPE html>\n<html><body>\n"
    "<p>Hello,</p>\n"
    "<p>please confirm your email address {email} by opening this link:</p>\n"
    "<p><a href=\"{link}\">Confirm my email address</a></p>\n"
    "<p>Or copy it into your browser: {link}</p>\n"
    "<p>The link works once and expires. If you did not create an account, you can ignore this mail.</p>\n"
    "</body></html>\n"};

const Template default_already_registered{
    "Your account already exists",
    "Hello,\n"
    "\n"
    "someone, hopefully you, tried to register {email}, but you already have an account.\n"
    "If you forgot your password, you can choose a new one here:\n"
    "\n"
    "{link}\n"
    "\n"
    "If it was not you, you can ignore this mail; nothing has changed.\n",
    "<!DOCTYPE html>\n<html><body>\n"
    "<p>Hello,</p>\n"
    "<p>someone, hopefully you, tried to register {email}, but you already have an account. "
    "If you forgot your password, you can choose a new one here:</p>\n"
    "<p><a href=\"{link}\">Reset my password</a></p>\n"
    "<p>Or copy it into your browser: {link}</p>\n"
    "<p>If it was not you, you can ignore this mail; nothing has changed.</p>\n"
    "</body></html>\n"};

const Template default_reset{
    "Reset your password",
    "Hello,\n"
    "\n"
    "to choose a new password for {email}, open this link:\n"
    "\n"
    "{link}\n"
    "\n"
    "The link works once and expires soon. If you did not ask for it, you can ignore this mail;\n"
    "your password is unchanged.\n",
    "<!DOCTYPE html>\n<html><body>\n"
    "<p>Hello,</p>\n"
    "<p>to choose a new password for {email}, open this link:</p>\n"
    "<p><a href=\"{link}\">Choose a new password</a></p>\n"
    "<p>Or copy it into your browser: {link}</p>\n"
    "<p>The link works once and expires soon. If you did not ask for it, you can ignore this mail; "
    "your password is unchanged.</p>\n"
    "</body></html>\n"};

const Template default_magic_link{
    "Your sign-in link",
    "Hello,\n"
    "\n"
    "to sign in as {email}, open this link:\n"
    "\n"
    "{link}\n"
    "\n"
    "It works once, in any browser, and expires soon. If you did not ask for it, you can ignore this\n"
    "mail; nobody can sign in without the link.\n",
    "<!DOCTYPE html>\n<html><body>\n"
    "<p>Hello,</p>\n"
    "<p>to sign in as {email}, open this link:</p>\n"
    "<p><a href=\"{link}\">Sign me in</a></p>\n"
    "<p>Or copy it into your browser: {link}</p>\n"
    "<p>It works once, in any browser, and expires soon. If you did not ask for it, you can ignore this mail; "
    "nobody can sign in without the link.</p>\n"
    "</body></html>\n"};

std::string html_escape(const std::string& value) {
    std::string out;
    for (char c : value) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

// Reads a whole file; nullopt when it cannot be read.
std::optional<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return content.str();
}

// Replaces `slot` with the operator's file for `name` when there is one; returns an error or "".
std::string load_one(const std::filesystem::path& dir, const std::string& name, Template& slot) {
    for (const char* ext : {".txt", ".html"}) {
        const auto path = dir / (name + ext);
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) continue;
        if (!std::filesystem::is_regular_file(path, ec)) return "mail template " + path.string() + " is not a file";
        auto content = read_file(path);
        if (!content) return "cannot read mail template " + path.string();
        if (std::string(ext) == ".html") {
            slot.html = std::move(*content);
            continue;
        }
        static constexpr std::string_view prefix = "Subject:";
        const auto line_end = content->find('\n');
        std::string first = content->substr(0, line_end);
        if (!first.empty() && first.back() == '\r') first.pop_back();
        if (first.compare(0, prefix.size(), prefix) != 0)
            return "mail template " + path.string() + " must start with a \"Subject: ...\" line";
        std::string subject = first.substr(prefix.size());
        subject.erase(0, subject.find_first_not_of(" \t"));
        if (subject.empty()) return "mail template " + path.string() + " has an empty Subject line";
        slot.subject = subject;
        slot.text = line_end == std::string::npos ? "" : content->substr(line_end + 1);
    }
    return "";
}

Message render(const Template& t, const std::string& to, const std::string& link) {
    return Message{to, fill_placeholders(t.subject, link, to, false), fill_placeholders(t.text, link, to, false),
                   fill_placeholders(t.html, link, to, true)};
}

}  // namespace

std::string fill_placeholders(const std::string& pattern, const std::string& link, const std::string& email, bool html) {
    std::string out;
    out.reserve(pattern.size() + link.size());
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern.compare(i, 6, "{link}") == 0) {
            out += html ? html_escape(link) : link;
            i += 6;
        } else if (pattern.compare(i, 7, "{email}") == 0) {
            out += html ? html_escape(email) : email;
            i += 7;
        } else {
            out += pattern[i++];
        }
    }
    return out;
}

Templates Templates::defaults() {
    Templates t;
    t.confirm_ = default_confirm;
    t.already_registered_ = default_already_registered;
    t.reset_ = default_reset;
    t.magic_link_ = default_magic_link;
    return t;
}

std::variant<Templates, std::string> Templates::load(const config::EmailConfig& email, const std::string& config_dir) {
    Templates t = defaults();
    if (!email.templates_dir || email.templates_dir->empty()) return t;
    std::filesystem::path dir(*email.templates_dir);
    if (dir.is_relative()) dir = std::filesystem::path(config_dir) / dir;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return "email.templates_dir " + dir.string() + " is not a folder";
    static const std::set<std::string> known = {"confirm.txt", "confirm.html", "already_registered.txt",
                                                "already_registered.html", "reset.txt", "reset.html",
                                                "magic_link.txt", "magic_link.html"};
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const auto ext = entry.path().extension();
        if ((ext == ".txt" || ext == ".html") && !known.count(entry.path().filename().string()))
            return "unknown mail template " + entry.path().string() +
                   " (expected confirm, already_registered, reset or magic_link, .txt or .html)";
    }
    if (ec) return "cannot list email.templates_dir " + dir.string() + ": " + ec.message();
    for (auto [name, slot] : {std::pair{"confirm", &t.confirm_}, std::pair{"already_registered", &t.already_registered_},
                              std::pair{"reset", &t.reset_}, std::pair{"magic_link", &t.magic_link_}}) {
        if (auto error = load_one(dir, name, *slot); !error.empty()) return error;
    }
    return t;
}

Message Templates::confirm(const std::string& to, const std::string& link) const { return render(confirm_, to, link); }

Message Templates::already_registered(const std::string& to, const std::string& reset_link) const {
    return render(already_registered_, to, reset_link);
}

Message Templates::reset(const std::string& to, const std::string& link) const { return render(reset_, to, link); }

Message Templates::magic_link(const std::string& to, const std::string& link) const {
    return render(magic_link_, to, link);
}

}  // namespace latchkey::mail
