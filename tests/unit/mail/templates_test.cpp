// Templates: built-in texts carry the link; operator files replace them; HTML values are escaped;
// a broken templates folder is a config error.
#include "mail/templates.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "store/token_hash.h"

namespace latchkey::mail {
namespace {

const std::string data_dir = LATCHKEY_TEST_DATA_DIR "/mail";

class TempDir {
public:
    TempDir() : path_(std::filesystem::temp_directory_path() / ("latchkey-mail-" + store::random_hex(8))) {
        std::filesystem::create_directories(path_);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    const std::filesystem::path& path() const { return path_; }
    void write(const std::string& name, const std::string& content) const {
        std::ofstream(path_ / name, std::ios::binary) << content;
    }

private:
    std::filesystem::path path_;
};

Templates load_ok(const config::EmailConfig& email, const std::string& config_dir) {
    auto loaded = Templates::load(email, config_dir);
    if (auto* error = std::get_if<std::string>(&loaded)) ADD_FAILURE() << *error;
    return std::get<Templates>(std::move(loaded));
}

std::string load_error(const config::EmailConfig& email, const std::string& config_dir) {
    auto loaded = Templates::load(email, config_dir);
    return std::holds_alternative<std::string>(loaded) ? std::get<std::string>(loaded) : "";
}

TEST(MailTemplates, DefaultsContainTheLinkAndAddress) {
    const auto t = Templates::defaults();
    const std::string link = "https://x.example/c?token=T0K3N";
    for (const Message& m : {t.confirm("u@example.org", link), t.already_registered("u@example.org", link),
                             t.reset("u@example.org", link), t.magic_link("u@example.org", link)}) {
        EXPECT_EQ(m.to, "u@example.org");
        EXPECT_FALSE(m.subject.empty());
        EXPECT_NE(m.text.find(link), std::string::npos) << m.text;
        EXPECT_NE(m.html.find("href=\"" + link + "\""), std::string::npos) << m.html;
        EXPECT_NE(m.text.find("u@example.org"), std::string::npos);
    }
    EXPECT_NE(t.already_registered("u@example.org", link).text.find("already have an account"), std::string::npos);
    EXPECT_NE(t.confirm("a@b.c", link).subject, t.reset("a@b.c", link).subject);
    EXPECT_NE(t.magic_link("a@b.c", link).subject, t.reset("a@b.c", link).subject);
}

TEST(MailTemplates, NoTemplatesDirMeansDefaults) {
    const auto t = load_ok(config::EmailConfig{}, "/nonexistent");
    EXPECT_EQ(t.confirm("a@b.c", "L").subject, Templates::defaults().confirm("a@b.c", "L").subject);
}

TEST(MailTemplates, OperatorFilesReplaceDefaults) {
    config::EmailConfig email;
    email.templates_dir = "templates";  // relative: against the config folder
    const auto t = load_ok(email, data_dir);
    const auto confirm = t.confirm("u@example.org", "https://x/c?token=T");
    EXPECT_EQ(confirm.subject, "Welcome to Example, u@example.org");
    EXPECT_EQ(confirm.text, "Hi u@example.org! Click https://x/c?token=T to start.\n");
    EXPECT_EQ(confirm.html, "<p>Hi u@example.org! <a href=\"https://x/c?token=T\">Start</a></p>\n");
    // Files not given keep the built-in text.
    EXPECT_EQ(t.reset("u@example.org", "L").text, Templates::defaults().reset("u@example.org", "L").text);
}

TEST(MailTemplates, HtmlPlaceholdersAreEscapedTextOnesAreNot) {
    const auto m = Templates::defaults().confirm("o'neil&co@example.org", "https://x/c?a=1&token=<b>\"");
    EXPECT_NE(m.html.find("href=\"https://x/c?a=1&amp;token=&lt;b&gt;&quot;\""), std::string::npos) << m.html;
    EXPECT_NE(m.html.find("o&#39;neil&amp;co@example.org"), std::string::npos);
    EXPECT_EQ(m.html.find("<b>"), std::string::npos);
    EXPECT_NE(m.text.find("https://x/c?a=1&token=<b>\""), std::string::npos);
    EXPECT_NE(m.text.find("o'neil&co@example.org"), std::string::npos);
}

TEST(MailTemplates, ValuesAreNotExpandedTwice) {
    EXPECT_EQ(fill_placeholders("{email} {link} {other}", "{email}", "x@y.z", false), "x@y.z {email} {other}");
}

TEST(MailTemplates, EmptyHtmlFileMeansTextOnly) {
    TempDir dir;
    dir.write("reset.txt", "Subject: Reset\n{link}\n");
    dir.write("reset.html", "");
    config::EmailConfig email;
    email.templates_dir = dir.path().string();
    const auto m = load_ok(email, "/").reset("a@b.c", "L");
    EXPECT_EQ(m.subject, "Reset");
    EXPECT_EQ(m.text, "L\n");
    EXPECT_TRUE(m.html.empty());
}

TEST(MailTemplates, OperatorFilesReplaceTheMagicLinkMail) {
    TempDir dir;
    dir.write("magic_link.txt", "Subject: Sign in to Example\nHi {email}: {link}\n");
    dir.write("magic_link.html", "<a href=\"{link}\">in</a>\n");
    config::EmailConfig email;
    email.templates_dir = dir.path().string();
    const auto m = load_ok(email, "/").magic_link("a@b.c", "https://x/m?token=T&x=1");
    EXPECT_EQ(m.subject, "Sign in to Example");
    EXPECT_EQ(m.text, "Hi a@b.c: https://x/m?token=T&x=1\n");
    EXPECT_EQ(m.html, "<a href=\"https://x/m?token=T&amp;x=1\">in</a>\n");
}

TEST(MailTemplates, MissingFolderIsAnError) {
    config::EmailConfig email;
    email.templates_dir = "no-such-folder";
    EXPECT_NE(load_error(email, data_dir).find("no-such-folder"), std::string::npos);
}

TEST(MailTemplates, TextFileWithoutSubjectLineIsAnError) {
    TempDir dir;
    dir.write("confirm.txt", "Hello {link}\n");
    config::EmailConfig email;
    email.templates_dir = dir.path().string();
    EXPECT_NE(load_error(email, "/").find("Subject"), std::string::npos);
}

TEST(MailTemplates, MisspeltFileNameIsAnError) {
    TempDir dir;
    dir.write("confirmation.txt", "Subject: x\n{link}\n");
    config::EmailConfig email;
    email.templates_dir = dir.path().string();
    EXPECT_NE(load_error(email, "/").find("confirmation.txt"), std::string::npos);
}

TEST(MailTemplates, UnreadableFileIsAnError) {
    TempDir dir;
    std::filesystem::create_directory(dir.path() / "reset.html");  // there, but not a readable file
    config::EmailConfig email;
    email.templates_dir = dir.path().string();
    EXPECT_NE(load_error(email, "/").find("reset.html"), std::string::npos);
}

}  // namespace
}  // namespace latchkey::mail
