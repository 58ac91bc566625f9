// Getting a JWKS document: over HTTPS with libcurl (bounded in time and size, no redirects), or
// from a local file. Each returns the bytes and how long they may be cached.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace latchkey::google {

struct JwksDocument {
  bool ok = false;
  std::string body;                           // with ok
  std::optional<std::chrono::seconds> max_age;  // Cache-Control max-age, when the server gave one
  std::string error;                          // without ok: one line for the log
};

using JwksFetcher = std::function<JwksDocument()>;

struct FetchLimits {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds total_timeout{5000};
  std::size_t max_bytes = 512 * 1024;
};

// A fetcher for `location`: an https:// URL; an http:// URL only on a loopback host (127.0.0.1,
// [::1], localhost: local identity providers and tests); anything else is a file path (already
// resolved by the caller). nullopt with `error` for a URL of another scheme or a remote http://.
std::optional<JwksFetcher> make_jwks_fetcher(const std::string& location, const FetchLimits& limits,
                                             std::string& error);

// max-age of a Cache-Control value ("public, max-age=19800, must-revalidate" -> 19800); no-store
// and no-cache give 0; nullopt when none is given.
std::optional<std::chrono::seconds> parse_max_age(std::string_view cache_control);

}  // namespace latchkey::google
