// Transports without a mail server: each message an .eml file in a folder, or one log line.
#pragma once

#include <filesystem>

#include "mail/transport.h"

namespace latchkey::mail {

// Writes each message as <time>-<random>.eml (RFC 5322, CRLF) in `dir`, created when missing.
// Written under a hidden temporary name, synced, then renamed: readers never see half a file.
// Files are mode 0600: they hold one-time links.
class FileTransport : public Transport {
public:
    FileTransport(std::filesystem::path dir, std::string from);
    SendResult send(const Message& message) override;

private:
    std::filesystem::path dir_;
    std::string from_;
};

// Logs "mail to <recipient>: <subject>" per message, never the body (it holds the one-time link),
// and delivers nothing.
class LogTransport : public Transport {
public:
    explicit LogTransport(LogFn log);
    SendResult send(const Message& message) override;

private:
    LogFn log_;
};

}  // namespace latchkey::mail
