// Writes a plain response through Pistache with every header value exactly as given.
#pragma once

#include "http_types.h"

#include <pistache/http.h>

namespace latchkey::host {

// Sends `response` on `writer`. Header values and each Set-Cookie value reach the client byte for
// byte (Pistache's typed headers and cookie jar would re-write them). With keep_alive false the
// response says `Connection: close` and the host ends its side once the response is written.
void send_response(Pistache::Http::ResponseWriter& writer, const HttpResponse& response, bool keep_alive);

}  // namespace latchkey::host
