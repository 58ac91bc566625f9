// Pistache's request → HttpRequest: the one place that reads Pistache's request types.
#include "front_door/plain_request.h"

#include "front_door/client_address.h"
#include "url_decode.h"

#include <sstream>

namespace latchkey::host {
namespace {

// Computed once here, so the throttles, logs, metrics.allow and the CSRF check agree.
void identify_client(HttpRequest& plain, std::string_view peer, const std::vector<AddressRange>& trusted_proxies) {
  plain.remote_address = client_address(peer, plain.headers.find("x-forwarded-for"), trusted_proxies);
  if (!in_any(trusted_proxies, peer)) return;
  const auto proto = plain.headers.find("x-forwarded-proto");
  const auto host = plain.headers.find("x-forwarded-host");
  if (proto && host) plain.forwarded_origin = forwarded_origin(*proto, *host).value_or("");
}

// Everything but the header fields.
HttpRequest without_headers(const Pistache::Http::Request& request) {
  HttpRequest plain;
  plain.method = Pistache::Http::methodString(request.method());
  plain.path = request.resource();
  const auto& query = request.query();
  for (auto it = query.parameters_begin(); it != query.parameters_end(); ++it) {
    plain.query.emplace(it->first, percent_decode(it->second));
  }
  for (const Pistache::Http::Cookie& cookie : request.cookies()) plain.cookies.emplace(cookie.name, cookie.value);
  plain.body = request.body();
  return plain;
}

}  // namespace

HttpRequest to_plain_request(const Pistache::Http::Request& request, RequestHeaders headers, std::string_view peer,
                             const std::vector<AddressRange>& trusted_proxies) {
  HttpRequest plain = without_headers(request);
  plain.headers = std::move(headers);
  identify_client(plain, peer, trusted_proxies);
  return plain;
}

HttpRequest to_plain_request(const Pistache::Http::Request& request, std::string_view peer,
                             const std::vector<AddressRange>& trusted_proxies) {
  HttpRequest plain = without_headers(request);
  const Pistache::Http::Header::Collection& fields = request.headers();
  // Pistache keeps every line's raw text, and parses the names it knows into typed objects too;
  // a typed one without a raw line (a header an application added itself) is written back.
  for (const auto& [name, raw] : fields.rawList()) {
    if (!plain.headers.find(name)) plain.headers.set(name, raw.value());
  }
  std::ostringstream value;
  for (const auto& typed : fields.list()) {
    if (plain.headers.find(typed->name())) continue;
    value.str({});
    typed->write(value);
    plain.headers.set(typed->name(), value.str());
  }
  identify_client(plain, peer, trusted_proxies);
  return plain;
}

}  // namespace latchkey::host
