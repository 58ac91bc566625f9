// libcurl and file fetchers for JWKS documents.
#include "google/jwks_fetch.h"

#include "config/auth_config.h"

#include <cctype>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

#include <curl/curl.h>

namespace latchkey::google {
namespace {

struct Transfer {
  std::string body;
  std::string cache_control;
  std::size_t max_bytes = 0;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (transfer.body.size() + bytes > transfer.max_bytes) {
    transfer.too_large = true;
    return 0;  // aborts the transfer
  }
  transfer.body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  constexpr std::string_view name = "cache-control:";
  if (line.size() > name.size()) {
    bool match = true;
    for (std::size_t i = 0; i < name.size() && match; ++i) {
      match = std::tolower(static_cast<unsigned char>(line[i])) == name[i];
    }
    if (match) transfer.cache_control.assign(line.substr(name.size()));
  }
  return size * count;
}

JwksDocument fetch_url(const std::string& url, const FetchLimits& limits) {
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {false, {}, std::nullopt, "curl_easy_init failed"};
  Transfer transfer;
  transfer.max_bytes = limits.max_bytes;
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.total_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "latchkey-jwks/1");
  const CURLcode code = curl_easy_perform(handle);
  if (transfer.too_large) return {false, {}, std::nullopt, url + ": JWKS larger than the limit"};
  if (code != CURLE_OK) return {false, {}, std::nullopt, url + ": " + curl_easy_strerror(code)};
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) return {false, {}, std::nullopt, url + ": HTTP status " + std::to_string(status)};
  return {true, std::move(transfer.body), parse_max_age(transfer.cache_control), {}};
}

JwksDocument read_file(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {false, {}, std::nullopt, "cannot read JWKS file " + path};
  std::string body(max_bytes + 1, '\0');
  in.read(body.data(), static_cast<std::streamsize>(body.size()));
  body.resize(static_cast<std::size_t>(in.gcount()));
  if (body.size() > max_bytes) return {false, {}, std::nullopt, path + ": JWKS larger than the limit"};
  return {true, std::move(body), std::nullopt, {}};
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

}  // namespace

std::optional<JwksFetcher> make_jwks_fetcher(const std::string& location, const FetchLimits& limits,
                                             std::string& error) {
  if (!config::is_allowed_jwks_location(location)) {
    error = "google.jwks must be an https:// URL (http:// only on a loopback host) or a file path";
    return std::nullopt;
  }
  if (location.find("://") != std::string::npos) {
    return JwksFetcher([location, limits] { return fetch_url(location, limits); });
  }
  return JwksFetcher([location, limits] { return read_file(location, limits.max_bytes); });
}

std::optional<std::chrono::seconds> parse_max_age(std::string_view cache_control) {
  std::optional<std::chrono::seconds> max_age;
  std::size_t start = 0;
  while (start <= cache_control.size()) {
    std::size_t end = cache_control.find(',', start);
    if (end == std::string_view::npos) end = cache_control.size();
    std::string directive;
    for (const char c : cache_control.substr(start, end - start)) {
      if (!std::isspace(static_cast<unsigned char>(c))) directive += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (directive == "no-store" || directive == "no-cache") return std::chrono::seconds(0);
    if (starts_with(directive, "max-age=") && directive.size() > 8 && directive.size() <= 8 + 9) {
      const std::string digits = directive.substr(8);
      if (digits.find_first_not_of("0123456789") == std::string::npos) max_age = std::chrono::seconds(std::stol(digits));
    }
    start = end + 1;
  }
  return max_age;
}

}  // namespace latchkey::google
