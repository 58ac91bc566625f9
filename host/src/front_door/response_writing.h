// Writes a plain response through Pistache with every header value exactly as given.
#pragma once

#include "http_types.h"

#include <pistache/http.h>

#include <string>

namespace latchkey::host {

// The bytes of `response` on the wire: the status line, its headers in order, one Set-Cookie line
// per cookie, `Connection: keep-alive` or `close`, Content-Length, then the body. What the host's
// own front door writes to the socket itself (http_server.cpp), as Pistache would have.
std::string wire_response(const HttpResponse& response, Pistache::Http::Version version, bool keep_alive);

// Sends `response` on a connection that another server frames (an application embedding Latchkey):
// header values and each Set-Cookie value reach the client byte for byte (Pistache's typed headers
// and cookie jar would re-write them); the Connection header stays whatever that server put on the
// writer. The promise resolves once the response is on the wire.
Pistache::Async::Promise<ssize_t> send_response(Pistache::Http::ResponseWriter& writer, const HttpResponse& response);

}  // namespace latchkey::host
