// relying_party_for: the config's values, or the request's origin.
#include "webauthn/relying_party.h"

namespace latchkey::webauthn {

std::string host_of_origin(std::string_view origin) {
  const size_t scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return "";
  std::string_view rest = origin.substr(scheme_end + 3);
  size_t end = rest.find_first_of(":/?#");
  if (!rest.empty() && rest.front() == '[') {  // an IPv6 literal keeps its brackets
    const size_t close = rest.find(']');
    end = close == std::string_view::npos ? std::string_view::npos : close + 1;
  }
  std::string host(rest.substr(0, end));
  for (char& c : host) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return host;
}

RelyingPartySite relying_party_for(const config::WebAuthnConfig& config, std::string_view request_origin) {
  RelyingPartySite site;
  site.rp.id = config.rp_id ? *config.rp_id : host_of_origin(request_origin);
  site.rp.origins = config.origins;
  if (site.rp.origins.empty()) site.rp.origins.emplace_back(request_origin);
  site.name = config.rp_name;
  return site;
}

}  // namespace latchkey::webauthn
