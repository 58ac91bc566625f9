// The gate decides what Pistache's parser may see; any exception the parser still throws is the
// client's malformed input, answered 4xx, never a 500 carrying the exception's text.
#include "front_door/request_reader.h"

namespace latchkey::host {

ReadResult read_request_bytes(ConnectionGate& gate, Pistache::Http::RequestParser& parser, std::string_view bytes) {
  using Kind = ConnectionGate::Step::Kind;
  ConnectionGate::Step step = gate.on_bytes(bytes);
  switch (step.kind) {
    case Kind::wait: return {ReadResult::Kind::incomplete, {}};
    case Kind::ignore: return {ReadResult::Kind::ignored, {}};
    case Kind::refuse: return {ReadResult::Kind::refused, std::move(step.refusal)};
    case Kind::forward: break;
  }

  HeadCheck failure;
  try {
    if (!parser.feed(step.bytes.data(), step.bytes.size())) {
      failure = refusal(413, "body_too_large", "the request exceeds the size the server accepts");
    } else if (parser.parse() == Pistache::Http::Private::State::Done) {
      ReadResult done{ReadResult::Kind::request, {}, gate.take_headers()};
      gate.request_done();
      return done;
    } else {
      return {ReadResult::Kind::incomplete, {}};
    }
  } catch (const Pistache::Http::HttpError& error) {
    const uint32_t status = static_cast<uint32_t>(error.code());
    if (status == 413) failure = refusal(413, "body_too_large", "the request exceeds the size the server accepts");
    else if (status == 501) failure = refusal(501, "not_implemented", "the request uses a feature the server lacks");
    else failure = refusal(400, "invalid_request", "the request could not be parsed");
  } catch (const std::exception&) {
    failure = refusal(400, "invalid_request", "the request could not be parsed");
  }
  parser.reset();
  gate.close();
  return {ReadResult::Kind::refused, std::move(failure)};
}

}  // namespace latchkey::host
