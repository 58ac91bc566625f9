// `database.url` from the auth config (or DATABASE_URL through ${...}) into a SOCI connect
// string. Beyond not crashing: the connect string must re-read as key='value' pairs, so no
// part of the URL can smuggle another libpq/MySQL option in.
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "store/database_url.h"

using namespace latchkey::store;

namespace {

// True when `cs` is a sequence of key='value' separated by single spaces, with \ escaping.
bool well_formed(std::string_view cs) {
  std::size_t i = 0;
  while (i < cs.size()) {
    const std::size_t key_start = i;
    while (i < cs.size() && (std::isalnum(static_cast<unsigned char>(cs[i])) || cs[i] == '_')) ++i;
    if (i == key_start || i + 1 >= cs.size() || cs[i] != '=' || cs[i + 1] != '\'') return false;
    i += 2;
    for (;; ++i) {
      if (i >= cs.size()) return false;
      if (cs[i] == '\\') {
        if (++i >= cs.size()) return false;
      } else if (cs[i] == '\'') {
        break;
      }
    }
    ++i;
    if (i == cs.size()) return true;
    if (cs[i] != ' ') return false;
    ++i;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const DatabaseUrlResult result = parse_database_url(text, "/srv/latchkey");
  if (result.url) {
    if (!result.error.empty()) std::abort();
    if (result.url->backend == Backend::sqlite) {
      if (result.url->sqlite_path.is_relative()) std::abort();
      if (result.url->connect_string.find('=') != std::string::npos) std::abort();
    } else if (!well_formed(result.url->connect_string)) {
      std::abort();
    }
  } else if (result.error.empty()) {
    std::abort();
  }
  return 0;
}
