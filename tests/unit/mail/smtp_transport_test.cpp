// SmtpTransport against a real SMTP server (aiosmtpd): delivery with the link intact, bounded
// failure when the server is down or silent, no password in clear or in errors, and the Sender
// delivering once the server comes up.
#include "mail/smtp_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "mail/link.h"
#include "mail/sender.h"
#include "mail/templates.h"
#include "parsed_mail.h"
#include "scratch_sqlite.h"
#include "smtp_server.h"
#include "store/token_hash.h"

namespace latchkey::mail::testing {
namespace {

using namespace std::chrono_literals;

class MailSmtp : public ::testing::Test {
protected:
    void TearDown() override {
        server_.stop();
        std::filesystem::remove_all(root_);
    }
    void start_server() {
        std::string why;
        ASSERT_TRUE(server_.start(root_ / "maildir", &why)) << why;
    }
    SmtpSettings settings(std::chrono::seconds timeout = 5s) {
        SmtpSettings s;
        s.url = server_.url();
        s.from = "Latchkey <no-reply@example.com>";
        s.timeout = timeout;
        return s;
    }
    std::filesystem::path root_ = std::filesystem::temp_directory_path() / ("latchkey-mail-smtp-" + store::random_hex(8));
    SmtpServer server_;
};

TEST_F(MailSmtp, DeliversToARealServerWithTheLinkIntact) {
    start_server();
    SmtpTransport transport(settings());
    const std::string token = store::random_hex(32) + "+/=";  // characters a link must encode
    const std::string link = link_with_token("http://127.0.0.1:8080/confirm.html?lang=en&token={token}", token);
    Message message = Templates::defaults().confirm("user@example.org", link);
    message.subject = "Bestätigen ✓";
    message.text += ".\n.. a line that is only a dot follows\n.\n";  // SMTP's end-of-data must not trip
    const auto result = transport.send(message);
    ASSERT_TRUE(result.ok) << result.error;

    const auto received = server_.wait_for_messages(1, 10s);
    ASSERT_EQ(received.size(), 1u);
    const auto mail = parse_mail(received[0]);
    ASSERT_TRUE(mail.error.empty()) << mail.error;
    EXPECT_TRUE(mail.defects.empty());
    EXPECT_EQ(mail.to, "user@example.org");
    EXPECT_EQ(mail.mail_from, "no-reply@example.com");
    EXPECT_EQ(mail.subject, "Bestätigen ✓");
    EXPECT_EQ(mail.text, message.text);
    EXPECT_NE(mail.text.find(link), std::string::npos);
    EXPECT_NE(mail.html.find("href=\"http://127.0.0.1:8080/confirm.html?lang=en&amp;token="), std::string::npos);
}

TEST_F(MailSmtp, ServerDownFailsWithinTheTimeout) {
    SmtpTransport transport(settings(2s));  // nothing listens on the port
    const auto started = std::chrono::steady_clock::now();
    const auto result = transport.send({"u@example.org", "S", "t", ""});
    EXPECT_FALSE(result.ok);
    EXPECT_FALSE(result.error.empty());
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST_F(MailSmtp, SilentServerFailsWithinTheTimeout) {
    // Accepts the TCP connection (the kernel does, from the backlog) but never greets.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(fd, 4), 0);
    socklen_t length = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
    auto s = settings(1s);
    s.url = "smtp://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    SmtpTransport transport(s);
    const auto started = std::chrono::steady_clock::now();
    const auto result = transport.send({"u@example.org", "S", "t", ""});
    const auto took = std::chrono::steady_clock::now() - started;
    ::close(fd);
    EXPECT_FALSE(result.ok);
    EXPECT_GE(took, 900ms);
    EXPECT_LT(took, 3s);
}

TEST_F(MailSmtp, CredentialsAreNeverSentWithoutTlsNorShownInErrors) {
    start_server();  // plain SMTP, no STARTTLS offered
    auto s = settings();
    s.username = "mailer";
    s.password = "hunter2-very-secret";
    s.url = "smtp://mailer:hunter2-very-secret@127.0.0.1:" + std::to_string(server_.port());
    SmtpTransport transport(s);
    const auto result = transport.send({"u@example.org", "S", "t", ""});
    EXPECT_FALSE(result.ok);
    EXPECT_EQ(result.error.find("hunter2"), std::string::npos) << result.error;
    EXPECT_TRUE(server_.wait_for_messages(1, 300ms).empty());
}

TEST_F(MailSmtp, HeaderInjectionNeverReachesTheServer) {
    start_server();
    SmtpTransport transport(settings());
    const auto result = transport.send({"u@example.org>\r\nRCPT TO:<victim@example.net", "S", "t", ""});
    EXPECT_FALSE(result.ok);
    EXPECT_TRUE(server_.wait_for_messages(1, 300ms).empty());
}

TEST_F(MailSmtp, SenderDeliversOnceTheServerStartsLater) {
    ScratchSqlite scratch;
    store::MailOutboxStore outbox(scratch.db());
    const std::string link = link_with_token("http://127.0.0.1:8080/reset.html?token={token}", "tok-123");
    const Message message = Templates::defaults().reset("user@example.org", link);
    scratch.db().transaction([&] { outbox.enqueue(message.to, message.subject, message.text, message.html, unix_now()); });

    SenderOptions options;
    options.first_retry = 1s;
    options.idle_poll = 100ms;
    Sender sender(scratch.db(), std::make_unique<SmtpTransport>(settings(2s)), options);
    sender.wake();
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline && outbox.pending().at(0).attempts == 0)
        std::this_thread::sleep_for(20ms);
    ASSERT_GE(outbox.pending().at(0).attempts, 1);  // failed: the server is down
    ASSERT_TRUE(outbox.pending().at(0).last_error);

    start_server();
    const auto received = server_.wait_for_messages(1, 15s);
    ASSERT_EQ(received.size(), 1u);
    EXPECT_NE(parse_mail(received[0]).text.find(link), std::string::npos);
    for (int i = 0; i < 50 && !outbox.pending().empty(); ++i) std::this_thread::sleep_for(20ms);
    EXPECT_TRUE(outbox.pending().empty());
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(server_.messages().size(), 1u);  // exactly once
}

}  // namespace
}  // namespace latchkey::mail::testing
