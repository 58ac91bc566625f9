// Delivery to an SMTP server through libcurl: smtp:// (STARTTLS when offered; required when
// credentials are set), smtps://, AUTH, bounded connect and total time.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>

#include "mail/transport.h"

namespace latchkey::mail {

struct SmtpSettings {
    std::string url = "smtp://127.0.0.1:2525";  // smtp://host[:port] or smtps://host[:port]
    std::optional<std::string> username;
    std::optional<std::string> password;
    std::string from = "Latchkey <no-reply@localhost>";  // header From; its address is MAIL FROM
    std::chrono::seconds timeout{10};                     // connect and whole-transfer bound
};

// One message per connection (the sender's rate is low, and nothing stays open between mails).
// With a username, the password is sent only over TLS (CURLUSESSL_ALL): a server that does not
// offer STARTTLS fails the send rather than receiving the password in clear. Without one,
// STARTTLS is used when offered (CURLUSESSL_TRY).
class SmtpTransport : public Transport {
public:
    explicit SmtpTransport(SmtpSettings settings);
    SendResult send(const Message& message) override;
    void cancel() override { cancelled_ = true; }

private:
    SmtpSettings settings_;
    std::atomic<bool> cancelled_{false};
};

}  // namespace latchkey::mail
