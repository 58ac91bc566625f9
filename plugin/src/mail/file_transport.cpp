// FileTransport and LogTransport.
#include "mail/file_transport.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "store/token_hash.h"

namespace latchkey::mail {
namespace {

// An open file descriptor, closed on every path.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    int release_and_close() {
        const int rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }

private:
    int fd_;
};

std::string errno_text(const std::string& what, const std::filesystem::path& path) {
    return what + " " + path.string() + ": " + std::strerror(errno);
}

SendResult write_atomically(const std::filesystem::path& dir, const std::string& name, const std::string& bytes) {
    const auto temp = dir / ("." + name + ".tmp");
    const auto final_path = dir / name;
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0) return {false, errno_text("cannot create", temp)};
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd.get(), bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const auto error = errno_text("cannot write", temp);
            ::unlink(temp.c_str());
            return {false, error};
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0 || fd.release_and_close() != 0) {
        const auto error = errno_text("cannot sync", temp);
        ::unlink(temp.c_str());
        return {false, error};
    }
    if (::rename(temp.c_str(), final_path.c_str()) != 0) {
        const auto error = errno_text("cannot rename into", final_path);
        ::unlink(temp.c_str());
        return {false, error};
    }
    return {true, ""};
}

}  // namespace

FileTransport::FileTransport(std::filesystem::path dir, std::string from) : dir_(std::move(dir)), from_(std::move(from)) {}

SendResult FileTransport::send(const Message& message) {
    const std::int64_t now = unix_now();
    const BuiltMessage built = build_rfc5322(message, from_, now);
    if (!built.ok()) return {false, "refused: " + built.error};
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) return {false, "cannot create mail folder " + dir_.string() + ": " + ec.message()};
    return write_atomically(dir_, std::to_string(now) + "-" + store::random_hex(8) + ".eml", built.bytes);
}

LogTransport::LogTransport(LogFn log) : log_(std::move(log)) {}

SendResult LogTransport::send(const Message& message) {
    if (auto problem = header_problem(message, "x@x.invalid"); !problem.empty()) return {false, "refused: " + problem};
    if (log_) log_("mail to " + message.to + ": " + message.subject);
    return {true, ""};
}

}  // namespace latchkey::mail
