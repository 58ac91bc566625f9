// A real SMTP server for tests: Debian's aiosmtpd (python3 -m aiosmtpd, Mailbox handler) on a
// free loopback port, writing what it receives into a Maildir. Shared with the integration tests.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace latchkey::mail::testing {

class SmtpServer {
public:
    // Picks a free loopback port; starts nothing (so a test can first see the server down).
    SmtpServer();
    ~SmtpServer();  // stop()
    SmtpServer(const SmtpServer&) = delete;
    SmtpServer& operator=(const SmtpServer&) = delete;

    // Starts aiosmtpd on 127.0.0.1:port(), its Maildir in `dir` (created; the server's output goes
    // to dir + ".log"), and waits until it accepts connections (at most 15 s). Returns false and
    // sets `why` when it does not come up.
    bool start(const std::filesystem::path& dir, std::string* why = nullptr);
    void stop();  // SIGTERM, then SIGKILL after 3 s; idempotent
    bool running() const { return pid_ > 0; }

    int port() const { return port_; }
    std::string url() const;  // "smtp://127.0.0.1:PORT"

    // Every message received so far, raw (as Python's mailbox wrote it, with X-MailFrom and
    // X-RcptTo added by aiosmtpd), oldest first.
    std::vector<std::string> messages() const;
    // messages() once there are at least `count`, or whatever there is after `timeout`.
    std::vector<std::string> wait_for_messages(std::size_t count, std::chrono::milliseconds timeout) const;

private:
    int port_ = 0;
    pid_t pid_ = -1;
    std::filesystem::path dir_;
};

// A free TCP port on 127.0.0.1 (bound and released; a small race with other processes).
int free_loopback_port();

}  // namespace latchkey::mail::testing
