// FileTransport writes whole, parseable .eml files; LogTransport never logs a body;
// make_transport picks by config.
#include "mail/file_transport.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "mail/templates.h"
#include "parsed_mail.h"
#include "store/token_hash.h"

namespace latchkey::mail::testing {
namespace {

class MailFileTransport : public ::testing::Test {
protected:
    void TearDown() override { std::filesystem::remove_all(root_); }
    std::vector<std::filesystem::path> files() const {
        std::vector<std::filesystem::path> found;
        if (std::filesystem::exists(dir_))
            for (const auto& entry : std::filesystem::directory_iterator(dir_)) found.push_back(entry.path());
        return found;
    }
    static std::string read(const std::filesystem::path& path) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        return content.str();
    }
    std::filesystem::path root_ = std::filesystem::temp_directory_path() / ("latchkey-mail-ft-" + store::random_hex(8));
    std::filesystem::path dir_ = root_ / "data" / "mail";  // does not exist yet
};

TEST_F(MailFileTransport, WritesOneParseableEmlPerMessage) {
    FileTransport transport(dir_, "Latchkey <no-reply@example.com>");
    const std::string link = "http://127.0.0.1:8080/confirm.html?token=Ab-_9~x";
    Message message = Templates::defaults().confirm("user@example.org", link);
    message.subject = "Bestätigen Sie Ihre Adresse ✓";
    const auto result = transport.send(message);
    ASSERT_TRUE(result.ok) << result.error;

    const auto written = files();
    ASSERT_EQ(written.size(), 1u);
    EXPECT_EQ(written[0].extension(), ".eml");
    const auto mail = parse_mail(read(written[0]));
    ASSERT_TRUE(mail.error.empty()) << mail.error;
    EXPECT_TRUE(mail.defects.empty()) << mail.defects.front();
    EXPECT_EQ(mail.from, "Latchkey <no-reply@example.com>");
    EXPECT_EQ(mail.to, "user@example.org");
    EXPECT_EQ(mail.subject, "Bestätigen Sie Ihre Adresse ✓");
    EXPECT_EQ(mail.mime_version, "1.0");
    EXPECT_FALSE(mail.message_id.empty());
    EXPECT_TRUE(mail.date_ok);
    EXPECT_EQ(mail.content_type, "multipart/alternative");
    EXPECT_EQ(mail.parts, (std::vector<std::string>{"multipart/alternative", "text/plain", "text/html"}));
    EXPECT_EQ(mail.text, message.text);  // the body decodes back exactly, link intact
    EXPECT_NE(mail.text.find(link), std::string::npos);
    EXPECT_NE(mail.html.find("href=\"" + link + "\""), std::string::npos);
    EXPECT_LE(mail.max_line_length, 998);
    EXPECT_FALSE(mail.bare_lf);
}

TEST_F(MailFileTransport, EachMessageGetsItsOwnFileAndNoTempFileRemains) {
    FileTransport transport(dir_, "no-reply@example.com");
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(transport.send({"u@example.org", "S", "body", ""}).ok);
    const auto written = files();
    EXPECT_EQ(written.size(), 3u);
    for (const auto& path : written) {
        EXPECT_EQ(path.extension(), ".eml") << path;
        EXPECT_NE(path.filename().string().front(), '.') << path;
    }
}

TEST_F(MailFileTransport, FilesAreReadableByTheOwnerOnly) {
    FileTransport transport(dir_, "no-reply@example.com");
    ASSERT_TRUE(transport.send({"u@example.org", "S", "body", ""}).ok);
    struct stat st{};
    ASSERT_EQ(::stat(files().at(0).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(MailFileTransport, HeaderInjectionIsRefusedAndNothingWritten) {
    FileTransport transport(dir_, "no-reply@example.com");
    const auto result = transport.send({"u@example.org\r\nBcc: victim@example.net", "S", "body", ""});
    EXPECT_FALSE(result.ok);
    EXPECT_NE(result.error.find("recipient"), std::string::npos);
    EXPECT_TRUE(files().empty());
}

TEST_F(MailFileTransport, UnwritableFolderIsAnError) {
    std::filesystem::create_directories(root_);
    std::ofstream(root_ / "file") << "x";
    FileTransport transport(root_ / "file" / "mail", "no-reply@example.com");
    const auto result = transport.send({"u@example.org", "S", "body", ""});
    EXPECT_FALSE(result.ok);
    EXPECT_FALSE(result.error.empty());
}

TEST_F(MailFileTransport, MakeTransportResolvesFileDirAgainstConfigDir) {
    config::EmailConfig email;  // transport "file", file_dir "data/mail"
    auto transport = make_transport(email, root_.string(), {});
    ASSERT_TRUE(transport->send({"u@example.org", "S", "body", ""}).ok);
    EXPECT_EQ(files().size(), 1u);
}

TEST(MailLogTransport, LogsRecipientAndSubjectNeverTheBody) {
    std::vector<std::string> lines;
    config::EmailConfig email;
    email.transport = "log";
    auto transport = make_transport(email, "/", [&](std::string_view line) { lines.emplace_back(line); });
    const auto message = Templates::defaults().reset("u@example.org", "https://x/r?token=SECRET-TOKEN");
    ASSERT_TRUE(transport->send(message).ok);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("u@example.org"), std::string::npos);
    EXPECT_NE(lines[0].find(message.subject), std::string::npos);
    EXPECT_EQ(lines[0].find("SECRET-TOKEN"), std::string::npos);
    EXPECT_FALSE(transport->send({"u@example.org", "S\r\nforged log line", "b", ""}).ok);
    EXPECT_EQ(lines.size(), 1u);
}

TEST(MailMakeTransport, UnknownTransportIsRefused) {
    config::EmailConfig email;
    email.transport = "carrier-pigeon";
    EXPECT_THROW(make_transport(email, "/", {}), std::invalid_argument);
}

}  // namespace
}  // namespace latchkey::mail::testing
