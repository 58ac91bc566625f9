// An application's Pistache request and response writer, seen from the pipeline: the plain request
// value, the origin the CSRF check allows, and answering on a connection the application frames.
#pragma once

#include "address_range.h"
#include "http_types.h"
#include "router.h"

#include <pistache/http.h>

#include <optional>
#include <string>
#include <vector>

namespace latchkey::embed {

// The client address and forwarded origin follow the config's trusted_proxies, as in the server.
host::HttpRequest plain_request_of(const Pistache::Http::Request& request,
                                   const std::vector<host::AddressRange>& trusted_proxies);

// The application's own origin as the browser sees it: the origin a trusted proxy forwarded
// (X-Forwarded-Proto/-Host), else "http://" + the Host header ("" without one). The `latchkey`
// server knows the address it listens on; an embedded Latchkey does not, and a cross-site page
// cannot choose the Host its request carries. Behind TLS without a trusted proxy, list the https
// origin in csrf.allowed_origins.
std::string local_origin_of(const host::HttpRequest& request);

// 413 body_too_large when the body is larger than the config's max_body_bytes (the application's
// endpoint has read it already, under its own maxRequestSize), else nullopt.
std::optional<host::HttpResponse> refuse_large_body(const host::HttpRequest& request, uint64_t max_body_bytes);

// Writes response on writer (headers and cookies byte for byte); Connection stays the application's.
void answer(Pistache::Http::ResponseWriter& writer, const host::HttpResponse& response);

// A route of the application's, for the pipeline: what protect() and authenticate() run the
// filters for. handler is the host-side step after the filters.
host::Route application_route(uint32_t auth, std::vector<std::string> roles, lk_handler_fn handler, void* user_data);

}  // namespace latchkey::embed
