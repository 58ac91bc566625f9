// Runs a connection's bytes through its gate and Pistache's request parser, mapping every parse
// failure to a JSON-able refusal. The reactor's input handler and the front-door fuzz target share it.
#pragma once

#include "front_door/connection_gate.h"

#include <pistache/http.h>

#include <string_view>

namespace latchkey::host {

struct ReadResult {
  enum class Kind {
    incomplete,  // more bytes are needed
    request,     // parser.request holds a whole request; the caller resets the parser after using it
    refused,     // answer `refusal` and close; the parser and the gate are already reset/closed
    ignored,     // the connection is closing: nothing to do
  };
  Kind kind = Kind::incomplete;
  HeadCheck refusal;
  RequestHeaders headers = {};  // of a request: ConnectionGate::take_headers
};

ReadResult read_request_bytes(ConnectionGate& gate, Pistache::Http::RequestParser& parser, std::string_view bytes);

}  // namespace latchkey::host
