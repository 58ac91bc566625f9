// SmtpTransport: the libcurl SMTP client, fed the bytes of build_rfc5322.
#include "mail/smtp_transport.h"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace latchkey::mail {
namespace {

struct CurlDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// The upload: libcurl pulls the message through this callback (and dot-stuffs it).
struct Upload {
    const std::string* bytes;
    std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    const std::size_t n = std::min(size * count, upload->bytes->size() - upload->offset);
    std::memcpy(buffer, upload->bytes->data() + upload->offset, n);
    upload->offset += n;
    return n;
}

// Aborts the transfer (connect included) once the transport is cancelled.
int check_cancelled(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<const std::atomic<bool>*>(user)->load() ? 1 : 0;
}

void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The error text with any secret removed: the password, and userinfo in a URL.
std::string scrub(std::string text, const SmtpSettings& settings) {
    if (settings.password && !settings.password->empty()) {
        for (std::size_t at; (at = text.find(*settings.password)) != std::string::npos;)
            text.replace(at, settings.password->size(), "***");
    }
    return text;
}

// The URL without any user:password@ part (credentials come from smtp_username/smtp_password).
std::string without_userinfo(const std::string& url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return url;
    const auto authority = scheme_end + 3;
    const auto path = url.find('/', authority);
    const auto at = url.rfind('@', path == std::string::npos ? std::string::npos : path);
    if (at == std::string::npos || at < authority) return url;
    return url.substr(0, authority) + url.substr(at + 1);
}

}  // namespace

SmtpTransport::SmtpTransport(SmtpSettings settings) : settings_(std::move(settings)) {
    settings_.url = without_userinfo(settings_.url);
    init_curl_once();
}

SendResult SmtpTransport::send(const Message& message) {
    if (cancelled_) return {false, "cancelled (shutting down)"};
    const BuiltMessage built = build_rfc5322(message, settings_.from, unix_now());
    if (!built.ok()) return {false, "refused: " + built.error};

    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return {false, "curl_easy_init failed"};
    const std::string mail_from = "<" + address_of(settings_.from) + ">";
    std::unique_ptr<curl_slist, SlistDeleter> recipients(curl_slist_append(nullptr, ("<" + message.to + ">").c_str()));
    Upload upload{&built.bytes};
    char error_buffer[CURL_ERROR_SIZE] = {0};
    const long timeout = static_cast<long>(settings_.timeout.count());
    const bool credentials = settings_.username && !settings_.username->empty();

    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(c, CURLOPT_USE_SSL, credentials ? CURLUSESSL_ALL : CURLUSESSL_TRY);
    if (credentials) {
        curl_easy_setopt(c, CURLOPT_USERNAME, settings_.username->c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, settings_.password ? settings_.password->c_str() : "");
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(built.bytes.size()));
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, check_cancelled);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &cancelled_);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);

    const CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) return {true, ""};
    long response = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response);
    std::string error = "smtp " + settings_.url + ": " + (error_buffer[0] ? error_buffer : curl_easy_strerror(rc));
    if (response != 0) error += " (server replied " + std::to_string(response) + ")";
    return {false, scrub(error, settings_)};
}

}  // namespace latchkey::mail
