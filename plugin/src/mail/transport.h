// How a mail leaves: the Transport seam, and make_transport choosing file, log or SMTP from config.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "config/auth_config.h"
#include "mail/message.h"

namespace latchkey::mail {

using LogFn = std::function<void(std::string_view)>;

struct SendResult {
    bool ok = false;
    std::string error;  // when !ok: for logs and the outbox; never contains a password or a body
};

// Delivers one message. Called by the Sender's one thread; implementations need not be reentrant.
class Transport {
public:
    virtual ~Transport();
    virtual SendResult send(const Message& message) = 0;
    // Asks a send in progress on another thread to give up soon, and later sends to fail at once
    // (used when shutting down). Default: nothing to cut short.
    virtual void cancel() {}
};

// `email.transport`: "file" (FileTransport in file_dir, relative to config_dir), "log"
// (LogTransport) or "smtp" (SmtpTransport). Throws std::invalid_argument for any other name.
std::unique_ptr<Transport> make_transport(const config::EmailConfig& email, const std::string& config_dir, LogFn log);

// Seconds since the Unix epoch; what the transports stamp in Date headers.
std::int64_t unix_now();

}  // namespace latchkey::mail
