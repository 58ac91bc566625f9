// SmtpServer: aiosmtpd as a child process; see smtp_server.h.
#include "smtp_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <tuple>

#ifndef LATCHKEY_SYSTEM_PYTHON
#define LATCHKEY_SYSTEM_PYTHON "/usr/bin/python3"
#endif

namespace latchkey::mail::testing {
namespace {

sockaddr_in loopback(int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
}

bool accepts_connections(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const sockaddr_in addr = loopback(port);
    const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace

int free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr = loopback(0);
    socklen_t length = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

SmtpServer::SmtpServer() : port_(free_loopback_port()) {}

SmtpServer::~SmtpServer() { stop(); }

std::string SmtpServer::url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

bool SmtpServer::start(const std::filesystem::path& dir, std::string* why) {
    const auto fail = [&](const std::string& reason) {
        if (why) *why = reason;
        stop();
        return false;
    };
    if (running()) return fail("already running");
    dir_ = dir;
    for (const char* sub : {"tmp", "new", "cur"}) std::filesystem::create_directories(dir_ / sub);  // a Maildir
    const std::string listen = "127.0.0.1:" + std::to_string(port_);
    const std::string maildir = dir_.string();
    const std::string log = dir_.string() + ".log";
    const char* argv[] = {LATCHKEY_SYSTEM_PYTHON, "-m", "aiosmtpd", "-n", "-l", listen.c_str(),
                          "-c", "aiosmtpd.handlers.Mailbox", maildir.c_str(), nullptr};
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) return fail("fork failed");
    if (pid == 0) {  // the child: only async-signal-safe calls until exec
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a crashed test
        if (::getppid() != parent) ::_exit(1);
        const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (out >= 0) {
            ::dup2(out, 1);
            ::dup2(out, 2);
        }
        ::execv(argv[0], const_cast<char* const*>(argv));
        ::_exit(127);
    }
    pid_ = pid;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return fail("aiosmtpd exited at start (see " + log + "): " + read_all(log));
        }
        if (accepts_connections(port_)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return fail("aiosmtpd did not listen on " + listen + " within 15 s (see " + log + ")");
}

void SmtpServer::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
}

std::vector<std::string> SmtpServer::messages() const {
    // In delivery order. File times can tie (the kernel's coarse clock) and names are not ordered
    // by time, but Python's mailbox.Maildir names each file "<secs>.M<usecs>P<pid>Q<n>.<host>",
    // where n counts deliveries in the server's process: sort by it, then by time.
    const auto delivery_number = [](const std::filesystem::path& path) {
        const std::string name = path.filename().string();
        const auto q = name.find('Q');
        return q == std::string::npos ? 0L : std::strtol(name.c_str() + q + 1, nullptr, 10);
    };
    std::vector<std::tuple<long, std::filesystem::file_time_type, std::filesystem::path>> files;
    for (const char* sub : {"new", "cur"}) {
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(dir_ / sub, ec))
            if (entry.is_regular_file())
                files.emplace_back(delivery_number(entry.path()), entry.last_write_time(), entry.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> out;
    for (const auto& file : files) out.push_back(read_all(std::get<2>(file)));
    return out;
}

std::vector<std::string> SmtpServer::wait_for_messages(std::size_t count, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto received = messages();
        if (received.size() >= count || std::chrono::steady_clock::now() >= deadline) return received;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace latchkey::mail::testing
