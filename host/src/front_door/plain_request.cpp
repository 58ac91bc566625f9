// Pistache's request → HttpRequest: the one place that reads Pistache's request types.
#include "front_door/plain_request.h"

#include "url_decode.h"

#include <cctype>
#include <sstream>

namespace latchkey::host {
namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

HttpRequest to_plain_request(const Pistache::Http::Request& request, std::string remote_address) {
  HttpRequest plain;
  plain.method = Pistache::Http::methodString(request.method());
  plain.path = request.resource();
  const auto& query = request.query();
  for (auto it = query.parameters_begin(); it != query.parameters_end(); ++it) {
    plain.query.emplace(it->first, percent_decode(it->second));
  }
  for (const auto& [name, raw] : request.headers().rawList()) plain.headers[lower(name)] = raw.value();
  for (const auto& header : request.headers().list()) {
    std::ostringstream value;
    header->write(value);
    plain.headers[lower(header->name())] = value.str();
  }
  for (const Pistache::Http::Cookie& cookie : request.cookies()) plain.cookies.emplace(cookie.name, cookie.value);
  plain.body = request.body();
  plain.remote_address = std::move(remote_address);
  return plain;
}

}  // namespace latchkey::host
