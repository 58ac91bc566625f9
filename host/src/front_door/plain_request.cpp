// Pistache's request → HttpRequest: the one place that reads Pistache's request types.
#include "front_door/plain_request.h"

#include "front_door/client_address.h"
#include "url_decode.h"

#include <sstream>

namespace latchkey::host {
namespace {

std::string lower(std::string_view name) {
  std::string text(name);
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');  // names are ASCII (RFC 9110 tokens)
  }
  return text;
}

std::optional<std::string_view> header(const HttpRequest& request, const std::string& name) {
  const auto found = request.headers.find(name);
  if (found == request.headers.end()) return std::nullopt;
  return std::string_view(found->second);
}

// Computed once here, so the throttles, logs, metrics.allow and the CSRF check agree.
void identify_client(HttpRequest& plain, std::string_view peer, const std::vector<AddressRange>& trusted_proxies) {
  plain.remote_address = client_address(peer, header(plain, "x-forwarded-for"), trusted_proxies);
  if (!in_any(trusted_proxies, peer)) return;
  const auto proto = header(plain, "x-forwarded-proto");
  const auto host = header(plain, "x-forwarded-host");
  if (proto && host) plain.forwarded_origin = forwarded_origin(*proto, *host).value_or("");
}

}  // namespace

HttpRequest to_plain_request(const Pistache::Http::Request& request, std::string_view peer,
                             const std::vector<AddressRange>& trusted_proxies,
                             const std::map<std::string, std::string>& forwarded_headers) {
  HttpRequest plain;
  plain.method = Pistache::Http::methodString(request.method());
  plain.path = request.resource();
  const auto& query = request.query();
  for (auto it = query.parameters_begin(); it != query.parameters_end(); ++it) {
    plain.query.emplace(it->first, percent_decode(it->second));
  }
  for (const auto& [name, raw] : request.headers().rawList()) plain.headers.insert_or_assign(lower(name), raw.value());
  // Pistache parsed the headers it knows into typed objects; only they can write their value back.
  // One stream for all of them: constructing an ostringstream costs more than writing a value.
  std::ostringstream value;
  for (const auto& header : request.headers().list()) {
    value.str({});
    header->write(value);
    plain.headers.insert_or_assign(lower(header->name()), value.str());
  }
  for (const auto& [name, joined] : forwarded_headers) plain.headers[name] = joined;
  for (const Pistache::Http::Cookie& cookie : request.cookies()) plain.cookies.emplace(cookie.name, cookie.value);
  plain.body = request.body();
  identify_client(plain, peer, trusted_proxies);
  return plain;
}

}  // namespace latchkey::host
