// Serves files from the config's "static" mappings without ever leaving the mapped folder.
#pragma once

#include "config.h"
#include "http_types.h"

#include <optional>
#include <string_view>
#include <vector>

namespace latchkey::host {

// The file answer for a GET of path, or nullopt when no mapping's prefix covers it. A covered path
// that does not name a file inside the folder gets a 404 JSON answer.
std::optional<HttpResponse> serve_static(const std::vector<StaticMount>& mounts, std::string_view path);

}  // namespace latchkey::host
