// make_transport: the config's `email.transport` to a Transport.
#include "mail/transport.h"

#include <chrono>
#include <stdexcept>

#include "mail/file_transport.h"
#include "mail/smtp_transport.h"

namespace latchkey::mail {

Transport::~Transport() = default;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::unique_ptr<Transport> make_transport(const config::EmailConfig& email, const std::string& config_dir, LogFn log) {
    if (email.transport == "file") {
        std::filesystem::path dir(email.file_dir);
        if (dir.is_relative()) dir = std::filesystem::path(config_dir) / dir;
        return std::make_unique<FileTransport>(dir, email.from);
    }
    if (email.transport == "log") return std::make_unique<LogTransport>(std::move(log));
    if (email.transport == "smtp") {
        SmtpSettings settings;
        settings.url = email.smtp_url;
        settings.username = email.smtp_username;
        settings.password = email.smtp_password;
        settings.from = email.from;
        settings.timeout = std::chrono::seconds(email.smtp_timeout_seconds == 0 ? 10 : email.smtp_timeout_seconds);
        return std::make_unique<SmtpTransport>(std::move(settings));
    }
    throw std::invalid_argument("email.transport must be file, log or smtp, not '" + email.transport + "'");
}

}  // namespace latchkey::mail
