// Writes a plain response through Pistache with every header value exactly as given.
#pragma once

#include "http_types.h"

#include <pistache/http.h>

namespace latchkey::host {

// Sends `response` on `writer`, saying `Connection: keep-alive` or `close`. Header values and each
// Set-Cookie value reach the client byte for byte (Pistache's typed headers and cookie jar would
// re-write them). The promise resolves once the response is on the wire.
Pistache::Async::Promise<ssize_t> send_response(Pistache::Http::ResponseWriter& writer, const HttpResponse& response,
                                                bool keep_alive);

// The same on a connection that another server frames (an application embedding Latchkey): the
// Connection header stays whatever that server put on the writer.
Pistache::Async::Promise<ssize_t> send_response(Pistache::Http::ResponseWriter& writer, const HttpResponse& response);

}  // namespace latchkey::host
