// Static files. The decoded path may not contain "..", NUL or backslashes, and the real path of the
// file (symlinks resolved) must stay inside the mapped folder's real path.
#include "static_files.h"

#include "url_decode.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <map>

namespace latchkey::host {
namespace {

namespace fs = std::filesystem;

std::string content_type_for(const fs::path& file) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},  {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"}, {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},    {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},  {".svg", "image/svg+xml"},
      {".png", "image/png"},                  {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},                {".gif", "image/gif"},
      {".ico", "image/x-icon"},               {".webp", "image/webp"},
      {".woff2", "font/woff2"},               {".map", "application/json"},
  };
  const auto it = types.find(file.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

HttpResponse not_found() { return json_error(404, "not_found", "no such file"); }

// A file is read whole into memory and written from there; past this size the host refuses to.
// (It is the response limit Pistache applied before the host wrote its own responses.)
constexpr std::uintmax_t kMaxFileBytes = 64ull << 20;

HttpResponse too_large() {
  return json_error(500, "file_too_large", "the file is larger than the host serves (64 MiB)");
}

bool is_safe_relative(const std::string& relative) {
  if (relative.find('\0') != std::string::npos || relative.find('\\') != std::string::npos) return false;
  for (const auto& part : fs::path(relative)) {
    if (part == "..") return false;
  }
  return true;
}

bool is_inside(const fs::path& file, const fs::path& folder) {
  const auto [folder_end, file_it] = std::mismatch(folder.begin(), folder.end(), file.begin(), file.end());
  return folder_end == folder.end();
}

}  // namespace

std::optional<HttpResponse> serve_static(const std::vector<StaticMount>& mounts, std::string_view path) {
  const StaticMount* mount = nullptr;
  for (const StaticMount& candidate : mounts) {  // the longest prefix wins
    const bool covers = path.substr(0, candidate.url_prefix.size()) == candidate.url_prefix ||
                        path == std::string_view(candidate.url_prefix).substr(0, candidate.url_prefix.size() - 1);
    if (covers && (!mount || candidate.url_prefix.size() > mount->url_prefix.size())) mount = &candidate;
  }
  if (!mount) return std::nullopt;

  const std::string relative =
      path.size() > mount->url_prefix.size() ? percent_decode(path.substr(mount->url_prefix.size())) : "";
  if (!is_safe_relative(relative)) return not_found();

  fs::path file = fs::path(mount->folder) / relative;
  std::error_code error;
  if (fs::is_directory(file, error)) file /= "index.html";
  const fs::path real = fs::canonical(file, error);
  if (error || !is_inside(real, fs::path(mount->folder)) || !fs::is_regular_file(real, error)) return not_found();

  std::ifstream in(real, std::ios::binary);
  if (!in) return not_found();
  // The size is asked first so that a large file is refused unread; the read is bounded too, as
  // the file may grow (or be replaced) between the two.
  const std::uintmax_t size = fs::file_size(real, error);
  if (error) return not_found();
  if (size > kMaxFileBytes) return too_large();
  HttpResponse response;
  response.body.resize(static_cast<size_t>(size));
  in.read(response.body.data(), static_cast<std::streamsize>(size));
  response.body.resize(static_cast<size_t>(in.gcount()));
  std::array<char, 4096> more;
  while (in.read(more.data(), more.size()) || in.gcount() > 0) {
    if (response.body.size() + static_cast<size_t>(in.gcount()) > kMaxFileBytes) return too_large();
    response.body.append(more.data(), static_cast<size_t>(in.gcount()));
  }
  response.set_header("Content-Type", content_type_for(real));
  return response;
}

}  // namespace latchkey::host
